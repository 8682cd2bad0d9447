// Schemas of the shared apimachinery types: ObjectMeta, ListMeta, Status, DeleteOptions, WatchEvent,
// discovery documents, label selectors, Time, Quantity and IntOrString (keyed like upstream).
import type { Definitions } from './types.js';
import { META, QUANTITY, INT_OR_STRING, TIME, str, int32, int64, bool, ref, arr, strList, strMap, obj, atomicObj, time } from './build.js';

export const metaDefinitions: Definitions = {
  [TIME]: { type: 'string', format: 'date-time', description: 'A timestamp serialized as an RFC 3339 string with second precision.' },
  [META + 'MicroTime']: { type: 'string', format: 'date-time', description: 'A timestamp serialized as an RFC 3339 string with microsecond precision.' },
  [QUANTITY]: {
    type: 'string',
    description: 'A fixed-point amount such as "100m", "1.5", "128Mi" or "1e3"; accepted as a string or a JSON number and serialized back as a string.',
    'x-kubernetes-int-or-string': true,
  },
  [INT_OR_STRING]: {
    type: 'string',
    format: 'int-or-string',
    description: 'Either an integer or a string (for example a port number or a named port, or "25%").',
    'x-kubernetes-int-or-string': true,
  },
  'io.k8s.apimachinery.pkg.runtime.RawExtension': {
    type: 'object',
    description: 'An embedded object in any form; kept as given.',
    'x-kubernetes-preserve-unknown-fields': true,
  },
  [META + 'FieldsV1']: {
    type: 'object',
    description: 'The set of fields a manager owns, as a trie of field keys encoded in JSON.',
    'x-kubernetes-preserve-unknown-fields': true,
  },
  [META + 'Patch']: {
    type: 'object',
    description: 'A patch body: JSON patch, merge patch, strategic merge patch or apply configuration.',
    'x-kubernetes-preserve-unknown-fields': true,
  },
  [META + 'OwnerReference']: atomicObj(
    'Identifies an object that owns this one; the garbage collector deletes dependents after their owners.',
    {
      apiVersion: str('API version of the owner.'),
      blockOwnerDeletion: bool('When true (and controller), the owner cannot be removed from storage before this dependent is (foreground deletion).'),
      controller: bool('When true, the owner is the managing controller. At most one owner may be the controller.'),
      kind: str('Kind of the owner.'),
      name: str('Name of the owner.'),
      uid: str('UID of the owner.'),
    },
    ['apiVersion', 'kind', 'name', 'uid'],
  ),
  [META + 'ManagedFieldsEntry']: obj('Records which manager owns which fields, from which operation and API version.', {
    apiVersion: str('The API version of the object the field set refers to.'),
    fieldsType: str('Format of fieldsV1; only "FieldsV1" exists.'),
    fieldsV1: ref(META + 'FieldsV1', 'The owned field set.'),
    manager: str('Name of the workflow that manages these fields.'),
    operation: str('The operation that created this entry: "Apply" or "Update".'),
    subresource: str('The subresource used to change the object, empty for the main resource.'),
    time: time('When these fields were last changed.'),
  }),
  [META + 'ObjectMeta']: obj('Metadata every persisted object carries: identity, labels, annotations, ownership and bookkeeping.', {
    annotations: strMap('Unstructured key/value data for tools and extensions; not used for selection.'),
    creationTimestamp: time('When the server created the object (set by the system, read-only).'),
    deletionGracePeriodSeconds: int64('Seconds the object has left to terminate gracefully once deletion was requested (read-only).'),
    deletionTimestamp: time('When deletion was requested; set by the server, read-only. The object goes once its finalizers are empty.'),
    finalizers: arr({ type: 'string', default: '' }, 'Keys that must be removed before the object is deleted from storage.', {
      strategy: 'merge',
      listType: 'set',
    }),
    generateName: str('Prefix the server uses to make a unique name when no name is given.'),
    generation: int64('Sequence number of a specific generation of the desired state (set by the system).'),
    labels: strMap('Key/value pairs used to organize and select objects.'),
    managedFields: arr({ $ref: META + 'ManagedFieldsEntry', default: {} }, 'Field ownership per manager and operation; internal bookkeeping.', {
      listType: 'atomic',
    }),
    name: str('Unique name within the namespace; required on create unless generateName is used. Cannot be updated.'),
    namespace: str('The namespace the object lives in; empty for cluster-scoped kinds. Cannot be updated.'),
    ownerReferences: arr({ $ref: META + 'OwnerReference', default: {} }, 'Objects this one depends on; used by garbage collection.', {
      mergeKey: 'uid',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['uid'],
    }),
    resourceVersion: str('Opaque value for optimistic concurrency, change detection and watch; set by the server.'),
    selfLink: str('Deprecated and unused; always empty.'),
    uid: str('Unique identifier of this object for all time; set by the server on create.'),
  }),
  [META + 'ListMeta']: obj('Metadata of list responses.', {
    continue: str('Token to fetch the next chunk of a paginated list; empty when there are no more items.'),
    remainingItemCount: int64('How many items remain after this chunk, when known.'),
    resourceVersion: str('The resource version the list was read at; use it to start a watch.'),
    selfLink: str('Deprecated and unused; always empty.'),
  }),
  [META + 'StatusCause']: obj('One reason an operation failed, often tied to a field.', {
    field: str('Path of the field that caused the error, e.g. "spec.containers[0].name".'),
    message: str('Human-readable description of the cause.'),
    reason: str('Machine-readable reason, e.g. "FieldValueInvalid".'),
  }),
  [META + 'StatusDetails']: obj('Extra data about a failure, depending on its reason.', {
    causes: arr({ $ref: META + 'StatusCause', default: {} }, 'Individual causes of the failure.', { listType: 'atomic' }),
    group: str('Group of the resource involved.'),
    kind: str('Kind (or resource) involved.'),
    name: str('Name of the object involved.'),
    retryAfterSeconds: int32('Seconds to wait before retrying, when meaningful.'),
    uid: str('UID of the object involved.'),
  }),
  [META + 'Status']: {
    ...obj('The result of an operation that does not return an object, in particular errors.', {
      apiVersion: str('API version of this representation ("v1").'),
      code: int32('HTTP status code of this status.'),
      details: ref(META + 'StatusDetails', 'Extended data about the failure, depending on reason.'),
      kind: str('Always "Status".'),
      message: str('Human-readable description of the result.'),
      metadata: { $ref: META + 'ListMeta', default: {}, description: 'Standard list metadata.' },
      reason: str('Machine-readable reason such as "NotFound" or "Conflict"; empty when unknown.'),
      status: str('"Success" or "Failure".'),
    }),
    'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Status' }],
  },
  [META + 'Preconditions']: obj('Conditions that must hold before an operation runs.', {
    resourceVersion: str('The object must have this resource version.'),
    uid: str('The object must have this UID.'),
  }),
  [META + 'DeleteOptions']: {
    ...obj('Options for a delete call.', {
      apiVersion: str('API version of this representation.'),
      dryRun: strList('When set to ["All"], run every stage except persisting.'),
      gracePeriodSeconds: int64('Seconds before the object is deleted; 0 means immediately, unset means the kind default.'),
      kind: str('Always "DeleteOptions".'),
      orphanDependents: bool('Deprecated: use propagationPolicy. Whether dependents are orphaned.'),
      preconditions: ref(META + 'Preconditions', 'Must be satisfied before deleting.'),
      propagationPolicy: str('How dependents are handled: "Orphan", "Background" or "Foreground".'),
    }),
    'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'DeleteOptions' }],
  },
  [META + 'WatchEvent']: {
    ...obj(
      'One event on a watch stream.',
      {
        object: ref(
          'io.k8s.apimachinery.pkg.runtime.RawExtension',
          'The object: the new state for ADDED/MODIFIED, the last state for DELETED, a Status for ERROR, a bookmark for BOOKMARK.',
        ),
        type: str('ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.', undefined),
      },
      ['type', 'object'],
    ),
    'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'WatchEvent' }],
  },
  [META + 'LabelSelectorRequirement']: obj(
    'A selector term: a key, an operator and values.',
    {
      key: str('The label key the requirement applies to.'),
      operator: str('In, NotIn, Exists or DoesNotExist.'),
      values: strList('Values for In and NotIn; must be empty for Exists and DoesNotExist.'),
    },
    ['key', 'operator'],
  ),
  [META + 'LabelSelector']: atomicObj('A label query; all its terms are ANDed. An empty selector matches everything, a missing one nothing.', {
    matchExpressions: arr({ $ref: META + 'LabelSelectorRequirement', default: {} }, 'Requirements on labels.', { listType: 'atomic' }),
    matchLabels: strMap('Exact key/value pairs the labels must contain.'),
  }),
  [META + 'Condition']: obj(
    'One aspect of the current state of an object.',
    {
      lastTransitionTime: time('When the condition last changed status.'),
      message: str('Human-readable details about the transition.'),
      observedGeneration: int64('The metadata.generation this condition was computed for.'),
      reason: str('CamelCase reason for the last transition.'),
      status: str('True, False or Unknown.'),
      type: str('Condition type in CamelCase.'),
    },
    ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
  ),
  [META + 'APIResource']: obj(
    'Describes one resource served by a group version.',
    {
      categories: strList('Groups of resources this one belongs to (e.g. "all").'),
      group: str('Preferred group of the resource, if different from the containing list.'),
      kind: str('Kind of the resource.'),
      name: str('Plural name of the resource, or resource/subresource.'),
      namespaced: bool('Whether the resource lives in namespaces.'),
      shortNames: strList('Short aliases for the resource.'),
      singularName: str('Singular name of the resource.'),
      storageVersionHash: str('Hash of the storage version, for detecting changes.'),
      verbs: strList('Verbs supported by the resource (get, list, watch, create, update, patch, delete, deletecollection).'),
      version: str('Preferred version of the resource, if different from the containing list.'),
    },
    ['name', 'singularName', 'namespaced', 'kind', 'verbs'],
  ),
  [META + 'APIResourceList']: {
    ...obj(
      'Resources served by one group version (discovery).',
      {
        apiVersion: str('API version of this representation.'),
        groupVersion: str('The group/version these resources belong to.'),
        kind: str('Always "APIResourceList".'),
        resources: arr({ $ref: META + 'APIResource', default: {} }, 'The resources.', { listType: 'atomic' }),
      },
      ['groupVersion', 'resources'],
    ),
    'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'APIResourceList' }],
  },
  [META + 'GroupVersionForDiscovery']: obj(
    'A group version offered by a group.',
    { groupVersion: str('The "group/version" string.'), version: str('The version string.') },
    ['groupVersion', 'version'],
  ),
  [META + 'ServerAddressByClientCIDR']: obj(
    'Which server address clients in a CIDR should use.',
    { clientCIDR: str('The client CIDR.'), serverAddress: str('host:port clients in that CIDR should use.') },
    ['clientCIDR', 'serverAddress'],
  ),
  [META + 'APIGroup']: {
    ...obj(
      'A group with its versions (discovery).',
      {
        apiVersion: str('API version of this representation.'),
        kind: str('Always "APIGroup".'),
        name: str('Name of the group.'),
        preferredVersion: ref(META + 'GroupVersionForDiscovery', 'The version clients should prefer.'),
        serverAddressByClientCIDRs: arr({ $ref: META + 'ServerAddressByClientCIDR', default: {} }, 'Server addresses per client CIDR.', {
          listType: 'atomic',
        }),
        versions: arr({ $ref: META + 'GroupVersionForDiscovery', default: {} }, 'Versions the group offers.', { listType: 'atomic' }),
      },
      ['name', 'versions'],
    ),
    'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'APIGroup' }],
  },
  [META + 'APIGroupList']: {
    ...obj(
      'All groups the server offers (discovery).',
      {
        apiVersion: str('API version of this representation.'),
        groups: arr({ $ref: META + 'APIGroup', default: {} }, 'The groups.', { listType: 'atomic' }),
        kind: str('Always "APIGroupList".'),
      },
      ['groups'],
    ),
    'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'APIGroupList' }],
  },
  [META + 'APIVersions']: {
    ...obj(
      'Versions of the legacy core API (discovery at /api).',
      {
        apiVersion: str('API version of this representation.'),
        kind: str('Always "APIVersions".'),
        serverAddressByClientCIDRs: arr({ $ref: META + 'ServerAddressByClientCIDR', default: {} }, 'Server addresses per client CIDR.', {
          listType: 'atomic',
        }),
        versions: strList('The versions, e.g. ["v1"].'),
      },
      ['versions', 'serverAddressByClientCIDRs'],
    ),
    'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'APIVersions' }],
  },
};
