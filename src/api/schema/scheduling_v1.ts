// Schemas of io.k8s.api.scheduling.v1.PriorityClass and PriorityClassList.
import type { Definitions } from './types.js';
import { str, int32, bool, kindSchema, listSchema } from './build.js';

const SCHED = 'io.k8s.api.scheduling.v1.';

export const schedulingV1Definitions: Definitions = {
  [SCHED + 'PriorityClass']: kindSchema(
    'scheduling.k8s.io',
    'v1',
    'PriorityClass',
    'PriorityClass defines mapping from a priority class name to the priority integer value. The value can be any valid integer.',
    {
      value: int32(
        'value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.',
      ),
      globalDefault: bool(
        'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`.',
      ),
      description: str('description is an arbitrary string that usually provides guidelines on when this priority class should be used.'),
      preemptionPolicy: str(
        'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.',
        ['Never', 'PreemptLowerPriority'],
      ),
    },
    ['value'],
  ),
  [SCHED + 'PriorityClassList']: listSchema('scheduling.k8s.io', 'v1', 'PriorityClassList', SCHED + 'PriorityClass', 'priority classes'),
};
