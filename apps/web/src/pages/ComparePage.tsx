import { CompareEvaluationsDocument, type CompareEvaluationsQuery } from '@fledge/client';
import { Link, useSearchParams } from 'react-router';

import { useGqlQuery } from '../api/use-gql';
import { ErrorPanel, isNotFound, Loading, NotFound } from '../components/ErrorPanel';
import { fmtNumber, fmtPercent } from '../format';
import { EvaluationMatrix, EvaluationSummary, evaluationTitle, isRate } from './evaluation-view';

type Delta = CompareEvaluationsQuery['compareEvaluations']['metrics'][number];

/** Two evaluations side by side: metric deltas (b − a) marked better or worse, both matrices. */
export function ComparePage() {
  const [params] = useSearchParams();
  const a = params.get('a') ?? '';
  const b = params.get('b') ?? '';
  const query = useGqlQuery(CompareEvaluationsDocument, { a, b }, { enabled: Boolean(a && b) });
  if (!a || !b)
    return <NotFound what="Comparison" detail="Choose two evaluations on a model's page to compare them." />;
  if (isNotFound(query.error)) return <NotFound what="Evaluation" detail={(query.error as Error).message} />;
  if (query.error) return <ErrorPanel error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <Loading what="the comparison" />;
  const cmp = query.data.compareEvaluations;
  return (
    <section aria-labelledby="compare-title">
      <h1 id="compare-title">Compare evaluations</h1>
      <p>
        <strong>A</strong> = <Link to={`/evaluations/${cmp.a.id}`}>{evaluationTitle(cmp.a)}</Link>, <strong>B</strong> ={' '}
        <Link to={`/evaluations/${cmp.b.id}`}>{evaluationTitle(cmp.b)}</Link>. Deltas are B − A.
      </p>
      <table className="data deltas">
        <caption>Metrics</caption>
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col">A</th>
            <th scope="col">B</th>
            <th scope="col">Δ (B − A)</th>
            <th scope="col">B is</th>
          </tr>
        </thead>
        <tbody>
          {cmp.metrics.map((d) => (
            <DeltaRow key={d.metric} name={d.metric} delta={d} />
          ))}
        </tbody>
      </table>
      {cmp.perClass.length > 0 && (
        <div className="table-scroll">
          <table className="data deltas">
            <caption>Per class (F1, precision, recall)</caption>
            <thead>
              <tr>
                <th scope="col">Class</th>
                <th scope="col">F1 A → B</th>
                <th scope="col">Precision A → B</th>
                <th scope="col">Recall A → B</th>
              </tr>
            </thead>
            <tbody>
              {cmp.perClass.map((c) => (
                <tr key={c.label}>
                  <th scope="row">{c.label}</th>
                  {[c.f1, c.precision, c.recall].map((d, i) => (
                    <td key={i}>
                      {fmtPercent(d.a, 2)} → {fmtPercent(d.b, 2)} <Verdict delta={{ ...d, metric: 'f1' }} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="grid-2">
        <div>
          <h2>A: {evaluationTitle(cmp.a)}</h2>
          <EvaluationSummary evaluation={cmp.a} />
          <EvaluationMatrix evaluation={cmp.a} />
        </div>
        <div>
          <h2>B: {evaluationTitle(cmp.b)}</h2>
          <EvaluationSummary evaluation={cmp.b} />
          <EvaluationMatrix evaluation={cmp.b} />
        </div>
      </div>
    </section>
  );
}

function DeltaRow({ name, delta }: { name: string; delta: Delta }) {
  const rate = isRate(name);
  const show = (v: number) => (rate ? fmtPercent(v, 2) : fmtNumber(v));
  return (
    <tr>
      <th scope="row">{name}</th>
      <td className="num">{show(delta.a)}</td>
      <td className="num">{show(delta.b)}</td>
      <td className="num">
        {delta.delta > 0 ? '+' : ''}
        {rate ? `${(delta.delta * 100).toFixed(2)} pts` : fmtNumber(delta.delta)}
      </td>
      <td>
        <Verdict delta={delta} />
      </td>
    </tr>
  );
}

function Verdict({ delta }: { delta: Pick<Delta, 'delta' | 'improved'> & { metric: string } }) {
  if (delta.delta === 0) return <span className="verdict same">same</span>;
  return delta.improved ? (
    <span className="verdict better">▲ better</span>
  ) : (
    <span className="verdict worse">▼ worse</span>
  );
}
