// autoscaling/v1 Scale: the view of a scalable resource that its "scale" subresource serves
// (spec.replicas wanted; status.replicas observed and status.selector as a label-selector string).
import type { KubeObject } from '../../types.js';

export interface Scale extends KubeObject {
  apiVersion?: 'autoscaling/v1';
  kind?: 'Scale';
  spec?: { replicas?: number };
  status?: { replicas: number; selector?: string };
}
