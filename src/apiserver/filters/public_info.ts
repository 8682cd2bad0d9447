// The paths anyone may read without credentials (upstream's system:public-info-viewer, and the endpoints
// its AnonymousAuthConfigurableEndpoints limit anonymous requests to): /livez, /readyz, /healthz with
// their checks below, and /version.
const HEALTH = ['/livez', '/readyz', '/healthz'];

export function isPublicInfoPath(path: string): boolean {
  if (path === '/version' || path === '/version/') return true;
  return HEALTH.some((p) => path === p || path.startsWith(`${p}/`));
}

/** kubeadm's discovery: a joining node reads kube-public/cluster-info before it has any credentials. */
export const CLUSTER_INFO_PATH = '/api/v1/namespaces/kube-public/configmaps/cluster-info';

/** Where a request without credentials is anonymous (and then authorized as system:anonymous) rather than 401. */
export function isAnonymousPath(path: string): boolean {
  return isPublicInfoPath(path) || path === CLUSTER_INFO_PATH;
}
