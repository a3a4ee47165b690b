import { pretty } from '../lib/format.js';

export function Json({ value, testId }: { value: unknown; testId?: string }) {
  return (
    <pre className="code" data-testid={testId}>
      {pretty(value)}
    </pre>
  );
}

export function HeaderTable({ headers, testId }: { headers: Record<string, string>; testId?: string }) {
  const entries = Object.entries(headers).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p className="muted">No headers recorded.</p>;
  return (
    <table className="kv" data-testid={testId}>
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name}>
            <th>{name}</th>
            <td className="mono">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
