import { Suspense, lazy } from 'react';
import { Flex, Spin } from 'antd';
import { Route, Routes } from 'react-router';
import NotFoundPage from '../NotFoundPage.tsx';

const MeetingCalendarPage = lazy(() => import('./MeetingCalendarPage.tsx'));
const PlanMeetingPage = lazy(() => import('./PlanMeetingPage.tsx'));
const MeetingPage = lazy(() => import('./MeetingPage.tsx'));

function Loading() {
  return (
    <Flex justify="center" style={{ padding: 48 }}>
      <Spin />
    </Flex>
  );
}

/** 会议 and its pages under /meetings: the calendar, planning a meeting (or a weekly series), one meeting. */
export default function MeetingsModule() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route index element={<MeetingCalendarPage />} />
        <Route path="new" element={<PlanMeetingPage />} />
        <Route path=":id" element={<MeetingPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Suspense>
  );
}
