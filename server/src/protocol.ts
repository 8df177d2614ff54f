/**
 * Custom messages between the VS Code client and the language server, defined once for both
 * sides (`agentgov/...`). Plain types only: both bundles import this file.
 */
import type { Range } from './core/text/range';

/** Request: the workspace's tools and agents for the Governance view. Files are URIs. */
export const INVENTORY_REQUEST = 'agentgov/inventory';

/** Notification from the server: tools or bindings changed; the view should ask again. */
export const INVENTORY_CHANGED = 'agentgov/inventoryChanged';

export interface InventoryToolItem {
  name: string;
  server?: string;
  source: string;
  uri: string;
  range: Range;
  risk: 'high' | 'medium' | 'low';
  riskReason: string;
  description?: string;
  inputFields: { name: string; type: string; required: boolean; description?: string }[];
  agents: string[];
}

export interface InventoryAgentItem {
  name: string;
  principal?: string;
  uri: string;
  range: Range;
  identityType?: string;
  audit?: string;
  /** Tool references as written in the binding. */
  tools: string[];
  unknownTools: string[];
}

export interface InventoryResult {
  tools: InventoryToolItem[];
  agents: InventoryAgentItem[];
}
