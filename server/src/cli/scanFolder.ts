import type { CedarPool } from '../core/cedar/gateway';
import { GovernanceService } from '../core/service';
import { nodeFileSystem } from '../core/workspace/fileSystem';

/** A service over one folder, read from disk: what every CLI command starts from. */
export function scanFolder(dir: string, pool?: CedarPool): GovernanceService {
  const service = new GovernanceService({ fs: nodeFileSystem, roots: [dir], pool });
  service.scan();
  return service;
}
