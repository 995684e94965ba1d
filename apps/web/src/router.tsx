import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, useRouteError } from 'react-router';

import { ErrorPanel, Loading, NotFound } from './components/ErrorPanel';
import { Layout } from './components/Layout';
import { AlarmsPage } from './pages/AlarmsPage';
import { AuditPage } from './pages/AuditPage';
import { ComparePage } from './pages/ComparePage';
import { DatasetPage, DatasetsPage } from './pages/DatasetsPage';
import { EvaluationPage } from './pages/EvaluationPage';
import { ModelDetailPage } from './pages/ModelDetailPage';
import { ModelsPage } from './pages/ModelsPage';
import { SignInPage } from './pages/SignInPage';

// Pages with charts load uPlot with them, not on first load.
const EndpointsPage = lazy(() => import('./pages/EndpointsPage').then((m) => ({ default: m.EndpointsPage })));
const EndpointPage = lazy(() => import('./pages/EndpointsPage').then((m) => ({ default: m.EndpointPage })));
const RolloutPage = lazy(() => import('./pages/RolloutPage').then((m) => ({ default: m.RolloutPage })));

const suspended = (page: ReactNode) => <Suspense fallback={<Loading what="the page" />}>{page}</Suspense>;

function RouteError() {
  const error = useRouteError();
  return <ErrorPanel error={error} title="This page failed" />;
}

export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  {
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Navigate to="/models" replace /> },
      { path: 'models', element: <ModelsPage /> },
      { path: 'models/:name', element: <ModelDetailPage /> },
      { path: 'evaluations/:id', element: <EvaluationPage /> },
      { path: 'compare', element: <ComparePage /> },
      { path: 'datasets', element: <DatasetsPage /> },
      { path: 'datasets/:name', element: <DatasetPage /> },
      { path: 'endpoints', element: suspended(<EndpointsPage />) },
      { path: 'endpoints/:name', element: suspended(<EndpointPage />) },
      { path: 'rollouts/:id', element: suspended(<RolloutPage />) },
      { path: 'alarms', element: <AlarmsPage /> },
      { path: 'audit', element: <AuditPage /> },
      { path: '*', element: <NotFound what="Page" detail="No page has this address." /> },
    ],
  },
]);
