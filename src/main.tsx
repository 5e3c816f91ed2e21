// Entry: standalone renders the app directly; under Blocklet Server (window.blocklet defined) the DID
// Connect session and the server's Header load first, as a separate chunk standalone never fetches.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { isBlockletHost } from './session/host';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element.');
const root = createRoot(container);

if (isBlockletHost()) {
  void import('./session/blocklet-root').then(({ BlockletRoot }) => {
    root.render(
      <StrictMode>
        <BlockletRoot render={(host, chrome) => <App host={host} chrome={chrome} />} />
      </StrictMode>,
    );
  });
} else {
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
