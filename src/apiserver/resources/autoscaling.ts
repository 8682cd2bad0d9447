// autoscaling/v2 and autoscaling/v1 HorizontalPodAutoscalers: one stored object (v2), served in both versions
// (v1 through the conversion of src/api/autoscaling), with a status subresource and the short name hpa.
import type { KubeObject } from '../../api/types.js';
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerV1 } from '../../api/autoscaling/types.js';
import { setDefaultsHorizontalPodAutoscaler } from '../../api/autoscaling/defaults.js';
import { hpaV1ToV2, hpaV2ToV1 } from '../../api/autoscaling/conversion.js';
import {
  validateHorizontalPodAutoscaler,
  validateHorizontalPodAutoscalerStatus,
  validateHorizontalPodAutoscalerUpdate,
} from '../../api/autoscaling/validation.js';
import type { ResourceDef, ResourceStrategy } from '../registry.js';
import { statusSubresource } from '../subresources/status.js';

const hpaStrategy: ResourceStrategy<HorizontalPodAutoscaler> = {
  defaults: setDefaultsHorizontalPodAutoscaler,
  prepareForCreate: (hpa) => {
    // upstream resets status on create
    hpa.status = { desiredReplicas: 0 };
  },
  prepareForUpdate: (obj, old) => {
    obj.status = old.status;
  },
  validate: validateHorizontalPodAutoscaler,
  validateUpdate: validateHorizontalPodAutoscalerUpdate,
  generationFields: (o) => o.spec,
  allowUnconditionalUpdate: true,
};

/** The v2 strategy applied to a v1 object: convert, run it, convert back (in place). */
const replaceWith = (obj: KubeObject, next: KubeObject) => {
  for (const k of Object.keys(obj)) delete obj[k];
  Object.assign(obj, next);
};
const v2 = (o: HorizontalPodAutoscalerV1) => hpaV1ToV2(o);
const hpaV1Strategy: ResourceStrategy<HorizontalPodAutoscalerV1> = {
  defaults: (obj) => {
    const h = v2(obj);
    setDefaultsHorizontalPodAutoscaler(h);
    replaceWith(obj, hpaV2ToV1(h));
  },
  prepareForCreate: (obj) => {
    obj.status = { desiredReplicas: 0, currentReplicas: 0 };
  },
  prepareForUpdate: (obj, old) => {
    obj.status = old.status;
    // the status-carrying annotations are the server's too
    const keep = ['autoscaling.alpha.kubernetes.io/conditions', 'autoscaling.alpha.kubernetes.io/current-metrics'];
    const ann = { ...(obj.metadata.annotations ?? {}) };
    for (const k of keep) {
      const v = old.metadata.annotations?.[k];
      if (v === undefined) delete ann[k];
      else ann[k] = v;
    }
    obj.metadata.annotations = Object.keys(ann).length ? ann : undefined;
    if (!obj.metadata.annotations) delete obj.metadata.annotations;
  },
  validate: (obj) => validateHorizontalPodAutoscaler(v2(obj)),
  validateUpdate: (obj, old) => validateHorizontalPodAutoscalerUpdate(v2(obj), v2(old)),
  generationFields: (o) => v2(o).spec,
  allowUnconditionalUpdate: true,
};

const base = {
  group: 'autoscaling',
  kind: 'HorizontalPodAutoscaler',
  listKind: 'HorizontalPodAutoscalerList',
  resource: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
} as const;

export const autoscalingResources: ResourceDef[] = [
  {
    ...base,
    shortNames: [...base.shortNames],
    categories: [...base.categories],
    version: 'v2',
    schemaName: 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler',
    subresources: { status: statusSubresource(hpaStrategy, { validate: (o) => validateHorizontalPodAutoscalerStatus(o) }) },
    strategy: hpaStrategy,
  } as ResourceDef<HorizontalPodAutoscaler> as unknown as ResourceDef,
  {
    ...base,
    shortNames: [...base.shortNames],
    categories: [...base.categories],
    version: 'v1',
    schemaName: 'io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler',
    subresources: { status: statusSubresource(hpaV1Strategy, { validate: (o) => validateHorizontalPodAutoscalerStatus(v2(o)) }) },
    strategy: hpaV1Strategy,
    conversion: {
      toStorage: (o) => hpaV1ToV2(o as HorizontalPodAutoscalerV1),
      fromStorage: (o) => hpaV2ToV1(o as HorizontalPodAutoscaler),
    },
  } as ResourceDef<HorizontalPodAutoscalerV1> as unknown as ResourceDef,
];
