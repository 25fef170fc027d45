import { Segmented } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { setLang, useLang, type Lang } from '../i18n/index.ts';

/** 中文 / English; the choice is kept in localStorage ('qibu.lang') and sent as Accept-Language. */
export function LanguageSwitch({ size = 'middle' }: { size?: 'small' | 'middle' }) {
  const lang = useLang();
  const qc = useQueryClient();
  return (
    <Segmented<Lang>
      data-testid="lang-switch"
      size={size}
      value={lang}
      options={[
        { label: '中文', value: 'zh-CN' },
        { label: 'English', value: 'en' },
      ]}
      onChange={(value) => {
        void setLang(value).then(() => qc.invalidateQueries());
      }}
    />
  );
}
