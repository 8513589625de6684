// First: configures zod before any schema is built (see the module).
import './app/zod-jitless';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { ApiError } from './shared/api';
import { AuthProvider } from './features/auth/AuthProvider';
import { LiveForUrl } from './features/live/LiveForUrl';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // A 4xx answer will not change on retry; network trouble and 5xx might.
      retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
    },
  },
});

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <AuthProvider>
        <LiveForUrl>
          <App />
        </LiveForUrl>
      </AuthProvider>
    </QueryClientProvider>
  </StrictMode>,
);
