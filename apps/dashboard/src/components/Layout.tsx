import type { ReactNode } from 'react';
import { href, type Route } from '../lib/router.js';
import { useSession } from '../lib/session.js';

function Tab({
  to,
  active,
  children,
  testId,
}: {
  to: string;
  active: boolean;
  children: ReactNode;
  testId: string;
}) {
  return (
    <a href={to} className={active ? 'tab tab-active' : 'tab'} data-testid={testId}>
      {children}
    </a>
  );
}

export function Layout({ route, children }: { route: Route; children: ReactNode }) {
  const session = useSession();
  const onLogs = route.page === 'logs' || route.page === 'delivery';
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            ◉
          </span>{' '}
          CodePlanet
          <span className="crumbs">Settings → Developers → Webhooks</span>
        </div>
        <div className="who">
          <span className="pill" data-testid="signed-in-as">
            {session.kind === 'admin' ? 'Admin' : `Account key ${session.token.slice(0, 10)}…`}
          </span>
          <button
            type="button"
            className="btn btn-ghost btn-small"
            onClick={session.signOut}
            data-testid="sign-out"
          >
            Sign out
          </button>
        </div>
      </header>
      <nav className="tabs">
        <Tab to={href.endpoints()} active={!onLogs} testId="nav-endpoints">
          Endpoints
        </Tab>
        <Tab to={href.logs()} active={onLogs} testId="nav-logs">
          Logs
        </Tab>
      </nav>
      <main className="content">{children}</main>
    </div>
  );
}
