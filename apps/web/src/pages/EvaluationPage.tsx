import { EvaluationDetailDocument } from '@fledge/client';
import { useParams } from 'react-router';

import { useGqlQuery } from '../api/use-gql';
import { ErrorPanel, isNotFound, Loading, NotFound } from '../components/ErrorPanel';
import { EvaluationMatrix, EvaluationSummary, evaluationTitle, MetricsTable, PerClassTable } from './evaluation-view';

export function EvaluationPage() {
  const { id = '' } = useParams();
  const query = useGqlQuery(
    EvaluationDetailDocument,
    { id },
    { refetchInterval: (q) => (['PENDING', 'RUNNING'].includes(q.state.data?.evaluation.status ?? '') ? 1000 : false) },
  );
  if (isNotFound(query.error)) return <NotFound what="Evaluation" detail={`There is no evaluation with id ${id}.`} />;
  if (query.error && !query.data) return <ErrorPanel error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <Loading what="the evaluation" />;
  const evaluation = query.data.evaluation;
  return (
    <section aria-labelledby="evaluation-title">
      <h1 id="evaluation-title">Evaluation: {evaluationTitle(evaluation)}</h1>
      <EvaluationSummary evaluation={evaluation} />
      {evaluation.error && (
        <p className="error-message" role="alert">
          {evaluation.error}
        </p>
      )}
      <div className="grid-2">
        <MetricsTable metrics={evaluation.metrics} />
        <PerClassTable metrics={evaluation.metrics} />
      </div>
      <h2>Confusion matrix</h2>
      <EvaluationMatrix evaluation={evaluation} />
    </section>
  );
}
