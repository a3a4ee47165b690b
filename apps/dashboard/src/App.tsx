import { Layout } from './components/Layout.js';
import { useRoute } from './lib/router.js';
import { SessionProvider, useSessionState } from './lib/session.js';
import { DeliveryDetailPage } from './pages/DeliveryDetail.js';
import { EndpointDetailPage } from './pages/EndpointDetail.js';
import { EndpointListPage } from './pages/EndpointList.js';
import { LogsPage } from './pages/Logs.js';
import { NewEndpointPage } from './pages/NewEndpoint.js';
import { SignIn } from './pages/SignIn.js';

function Pages() {
  const route = useRoute();
  const { session } = useSessionState();
  if (!session) return <SignIn />;
  let page;
  switch (route.page) {
    case 'endpoints':
      page = <EndpointListPage />;
      break;
    case 'new-endpoint':
      page = <NewEndpointPage />;
      break;
    case 'endpoint':
      page = <EndpointDetailPage key={route.id} id={route.id} />;
      break;
    case 'logs':
      page = <LogsPage query={route.query} />;
      break;
    case 'delivery':
      page = <DeliveryDetailPage key={route.id} id={route.id} />;
      break;
  }
  return <Layout route={route}>{page}</Layout>;
}

export function App() {
  return (
    <SessionProvider>
      <Pages />
    </SessionProvider>
  );
}
