import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';

export interface FilterField {
  name: string;
  label: string;
  options?: { value: string; label: string }[];
}

/** Filters kept in the URL's query string (shareable); text fields apply after a short pause. */
export function useUrlFilters(fields: FilterField[]): [Record<string, string>, (name: string, value: string) => void] {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(fields.map((f) => [f.name, params.get(f.name) ?? '']));
  const set = (name: string, value: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  return [values, set];
}

export function FilterBar({
  fields,
  values,
  onChange,
}: {
  fields: FilterField[];
  values: Record<string, string>;
  onChange: (name: string, value: string) => void;
}) {
  return (
    <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
      {fields.map((f) => (
        <div key={f.name} className="filter">
          <label htmlFor={`filter-${f.name}`}>{f.label}</label>
          {f.options ? (
            <select id={`filter-${f.name}`} value={values[f.name]} onChange={(e) => onChange(f.name, e.target.value)}>
              <option value="">any</option>
              {f.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          ) : (
            <DebouncedInput id={`filter-${f.name}`} value={values[f.name]} onChange={(v) => onChange(f.name, v)} />
          )}
        </div>
      ))}
    </form>
  );
}

function DebouncedInput({ id, value, onChange }: { id: string; value: string; onChange: (value: string) => void }) {
  const [text, setText] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => {
      if (text.trim() !== value) onChange(text.trim());
    }, 300);
    return () => clearTimeout(timer);
  }, [text, value, onChange]);
  return <input id={id} type="search" value={text} onChange={(e) => setText(e.target.value)} />;
}
