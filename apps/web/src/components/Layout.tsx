import { useQueryClient } from '@tanstack/react-query';
import { Navigate, NavLink, Outlet, useLocation } from 'react-router';

import { session, useSignedIn } from '../api/session';
import { isAdmin, useViewer } from '../api/viewer';
import { ConnectionBanner } from './ConnectionBanner';

/** The frame of every signed-in page: navigation, who is signed in, the connection banner. */
export function Layout() {
  const signedIn = useSignedIn();
  const location = useLocation();
  const queryClient = useQueryClient();
  const viewer = useViewer();
  if (!signedIn) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  const me = viewer.data?.viewer;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Fledge</span>
        <nav aria-label="Main">
          <NavLink to="/models">Models</NavLink>
          <NavLink to="/datasets">Datasets</NavLink>
          <NavLink to="/endpoints">Endpoints</NavLink>
          <NavLink to="/alarms">Alarms</NavLink>
          {isAdmin(me?.role) && <NavLink to="/audit">Audit log</NavLink>}
        </nav>
        <div className="who">
          {me && (
            <span>
              {me.name} <span className="role">{me.role.toLowerCase()}</span>
            </span>
          )}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              session.signOut();
              queryClient.clear();
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <ConnectionBanner />
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
