// The paths anyone may read without credentials (upstream's system:public-info-viewer, and the endpoints
// its AnonymousAuthConfigurableEndpoints limit anonymous requests to): /livez, /readyz, /healthz with
// their checks below, and /version.
const HEALTH = ['/livez', '/readyz', '/healthz'];

export function isPublicInfoPath(path: string): boolean {
  if (path === '/version' || path === '/version/') return true;
  return HEALTH.some((p) => path === p || path.startsWith(`${p}/`));
}
