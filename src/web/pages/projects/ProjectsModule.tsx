import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import NotFoundPage from '../NotFoundPage.tsx';

const ProjectListPage = lazy(() => import('./ProjectListPage.tsx'));
const ProjectDetailPage = lazy(() => import('./ProjectDetailPage.tsx'));
const GanttPage = lazy(() => import('./GanttPage.tsx'));
const BatchesPage = lazy(() => import('./BatchesPage.tsx'));
const BatchDetailPage = lazy(() => import('./BatchDetailPage.tsx'));
const MissingReportsPage = lazy(() => import('./MissingReportsPage.tsx'));
const ImportPage = lazy(() => import('./ImportPage.tsx'));

/** 项目台账 and its pages under /projects (the module's one menu entry; the pages link to each other). */
export default function ProjectsModule() {
  return (
    <Routes>
      <Route index element={<ProjectListPage />} />
      <Route path="gantt" element={<GanttPage />} />
      <Route path="batches" element={<BatchesPage />} />
      <Route path="batches/:id" element={<BatchDetailPage />} />
      <Route path="missing" element={<MissingReportsPage />} />
      <Route path="import" element={<ImportPage />} />
      <Route path=":id" element={<ProjectDetailPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
