import { Suspense, lazy, useEffect } from 'react';
import { Flex, Spin } from 'antd';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useCurrentUser } from '../../components/session.tsx';
import { kickDraftSender } from '../../offline/sender.ts';
import NotFoundPage from '../NotFoundPage.tsx';
import RaisePage from './RaisePage.tsx';
import TodoPage from './TodoPage.tsx';
import { ProblemsNav, isUnitStaffOnly } from './problems.tsx';

const ProblemListPage = lazy(() => import('./ProblemListPage.tsx'));
const ProblemDetailPage = lazy(() => import('./ProblemDetailPage.tsx'));
const ProblemMetricsPage = lazy(() => import('./ProblemMetricsPage.tsx'));

function Loading() {
  return (
    <Flex justify="center" style={{ padding: 48 }}>
      <Spin />
    </Flex>
  );
}

/** /problems: unit staff land on 我的待办 unless they opened the list on purpose (a filter link, the nav). */
function ListOrTodo() {
  const me = useCurrentUser();
  const location = useLocation();
  const onPurpose = !!location.search || !!(location.state as { list?: boolean } | null)?.list;
  if (isUnitStaffOnly(me) && !onPurpose) return <Navigate to="/problems/todo" replace />;
  return <ProblemListPage />;
}

/**
 * 问题闭环 and its pages under /problems. The to-do and raise pages are part of this chunk (not loaded on demand) so
 * a phone that loses the network on them can still draft a problem.
 */
export default function ProblemsModule() {
  const me = useCurrentUser();
  useEffect(() => {
    void kickDraftSender(me.user.id);
  }, [me.user.id]);
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route index element={<ListOrTodo />} />
        <Route path="todo" element={<TodoPage />} />
        <Route path="new" element={<RaisePage />} />
        <Route
          path="metrics"
          element={
            <>
              <ProblemsNav current="metrics" />
              <ProblemMetricsPage />
            </>
          }
        />
        <Route path=":id" element={<ProblemDetailPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Suspense>
  );
}
