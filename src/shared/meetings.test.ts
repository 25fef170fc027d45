import { describe, expect, it } from 'vitest';
import { chineseNumber, meetingTitle } from './meetings.ts';

describe('meeting numbers in Chinese', () => {
  it('writes 第N次 the way documents do', () => {
    expect([1, 2, 9, 10, 11, 12, 20, 21, 99, 100, 101, 110, 1000, 1001].map(chineseNumber)).toEqual([
      '一', '二', '九', '十', '十一', '十二', '二十', '二十一', '九十九', '一百', '一百零一', '一百一十', '一千', '一千零一',
    ]);
    expect(meetingTitle('崔寨片区建设指挥部', 'regular', 2)).toBe('崔寨片区建设指挥部第二次例会');
    expect(meetingTitle('济南起步区城市副中心示范区建设领导小组', 'leading_group', 1)).toBe('济南起步区城市副中心示范区建设领导小组第一次会议');
    expect(meetingTitle('氢能产业片区建设指挥部', 'special', 3, '加氢母站建设')).toBe('氢能产业片区建设指挥部第三次专题推进会（加氢母站建设）');
  });
});
