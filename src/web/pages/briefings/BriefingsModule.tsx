import { Suspense, lazy } from 'react';
import { Flex, Spin } from 'antd';
import { Route, Routes } from 'react-router';
import NotFoundPage from '../NotFoundPage.tsx';

const BriefingsPage = lazy(() => import('./BriefingsPage.tsx'));
const BriefingPage = lazy(() => import('./BriefingPage.tsx'));

function Loading() {
  return (
    <Flex justify="center" style={{ padding: 48 }}>
      <Spin />
    </Flex>
  );
}

/** 工作简报 under /briefings: the list with generation and subscriptions, and one issue. */
export default function BriefingsModule() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route index element={<BriefingsPage />} />
        <Route path=":id" element={<BriefingPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Suspense>
  );
}
