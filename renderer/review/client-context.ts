import { createContext, useContext } from 'react';
import type { ApiClient } from '../../src/api/contract';

/**
 * The core's client for components deep inside the canvas (a node's Retry), which React Flow renders
 * from serialisable node data: no callbacks in the data, so the client comes by context.
 */
export const ClientContext = createContext<ApiClient | null>(null);

export const useClient = () => useContext(ClientContext);
