import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connect } from './api';
import App from './App';
import './styles.css';

const connection = connect();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App connection={connection} />
  </StrictMode>,
);
void connection.client.call('app.info').then((info) =>
  connection.client.call('activity.add', { level: 'info', message: `opened DCoD ${info.version} over ${info.transport}` }),
);
