// Field-number tables (protobufjs JSON descriptors) of the Kubernetes wire messages we decode: apimachinery
// meta/v1, runtime, resource, intstr and k8s.io/api core, apps, batch, scheduling, coordination, policy,
// rbac, networking and authentication v1 (generated from the upstream 1.33 descriptors; field tables only).
/** protobufjs JSON namespace form (INamespace), kept loosely typed. */

export const k8sDescriptor: { nested: Record<string, unknown> } = {
  nested: {
    k8s: {
      nested: {
        io: {
          nested: {
            apimachinery: {
              nested: {
                pkg: {
                  nested: {
                    runtime: {
                      nested: {
                        schema: { nested: {} },
                        RawExtension: { fields: { raw: { type: 'bytes', id: 1 } } },
                        TypeMeta: { fields: { apiVersion: { type: 'string', id: 1 }, kind: { type: 'string', id: 2 } } },
                        Unknown: {
                          fields: {
                            typeMeta: { type: '.k8s.io.apimachinery.pkg.runtime.TypeMeta', id: 1 },
                            raw: { type: 'bytes', id: 2 },
                            contentEncoding: { type: 'string', id: 3 },
                            contentType: { type: 'string', id: 4 },
                          },
                        },
                      },
                    },
                    api: {
                      nested: {
                        resource: {
                          nested: {
                            Quantity: { fields: { string: { type: 'string', id: 1 } } },
                            QuantityValue: { fields: { string: { type: 'string', id: 1 } } },
                          },
                        },
                      },
                    },
                    util: {
                      nested: {
                        intstr: {
                          nested: {
                            IntOrString: { fields: { type: { type: 'int64', id: 1 }, intVal: { type: 'int32', id: 2 }, strVal: { type: 'string', id: 3 } } },
                          },
                        },
                      },
                    },
                    apis: {
                      nested: {
                        meta: {
                          nested: {
                            v1: {
                              nested: {
                                APIGroup: {
                                  fields: {
                                    name: { type: 'string', id: 1 },
                                    versions: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.GroupVersionForDiscovery', id: 2, rule: 'repeated' },
                                    preferredVersion: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.GroupVersionForDiscovery', id: 3 },
                                    serverAddressByClientCIDRs: {
                                      type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ServerAddressByClientCIDR',
                                      id: 4,
                                      rule: 'repeated',
                                    },
                                  },
                                },
                                APIGroupList: { fields: { groups: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.APIGroup', id: 1, rule: 'repeated' } } },
                                APIResource: {
                                  fields: {
                                    name: { type: 'string', id: 1 },
                                    singularName: { type: 'string', id: 6 },
                                    namespaced: { type: 'bool', id: 2 },
                                    group: { type: 'string', id: 8 },
                                    version: { type: 'string', id: 9 },
                                    kind: { type: 'string', id: 3 },
                                    verbs: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Verbs', id: 4 },
                                    shortNames: { type: 'string', id: 5, rule: 'repeated' },
                                    categories: { type: 'string', id: 7, rule: 'repeated' },
                                    storageVersionHash: { type: 'string', id: 10 },
                                  },
                                },
                                APIResourceList: {
                                  fields: {
                                    groupVersion: { type: 'string', id: 1 },
                                    resources: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.APIResource', id: 2, rule: 'repeated' },
                                  },
                                },
                                APIVersions: {
                                  fields: {
                                    versions: { type: 'string', id: 1, rule: 'repeated' },
                                    serverAddressByClientCIDRs: {
                                      type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ServerAddressByClientCIDR',
                                      id: 2,
                                      rule: 'repeated',
                                    },
                                  },
                                },
                                ApplyOptions: {
                                  fields: {
                                    dryRun: { type: 'string', id: 1, rule: 'repeated' },
                                    force: { type: 'bool', id: 2 },
                                    fieldManager: { type: 'string', id: 3 },
                                  },
                                },
                                Condition: {
                                  fields: {
                                    type: { type: 'string', id: 1 },
                                    status: { type: 'string', id: 2 },
                                    observedGeneration: { type: 'int64', id: 3 },
                                    lastTransitionTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 4 },
                                    reason: { type: 'string', id: 5 },
                                    message: { type: 'string', id: 6 },
                                  },
                                },
                                CreateOptions: {
                                  fields: {
                                    dryRun: { type: 'string', id: 1, rule: 'repeated' },
                                    fieldManager: { type: 'string', id: 3 },
                                    fieldValidation: { type: 'string', id: 4 },
                                  },
                                },
                                DeleteOptions: {
                                  fields: {
                                    gracePeriodSeconds: { type: 'int64', id: 1 },
                                    preconditions: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Preconditions', id: 2 },
                                    orphanDependents: { type: 'bool', id: 3 },
                                    propagationPolicy: { type: 'string', id: 4 },
                                    dryRun: { type: 'string', id: 5, rule: 'repeated' },
                                    ignoreStoreReadErrorWithClusterBreakingPotential: { type: 'bool', id: 6 },
                                  },
                                },
                                Duration: { fields: { duration: { type: 'int64', id: 1 } } },
                                FieldSelectorRequirement: {
                                  fields: {
                                    key: { type: 'string', id: 1 },
                                    operator: { type: 'string', id: 2 },
                                    values: { type: 'string', id: 3, rule: 'repeated' },
                                  },
                                },
                                FieldsV1: { fields: { Raw: { type: 'bytes', id: 1 } } },
                                GetOptions: { fields: { resourceVersion: { type: 'string', id: 1 } } },
                                GroupKind: { fields: { group: { type: 'string', id: 1 }, kind: { type: 'string', id: 2 } } },
                                GroupResource: { fields: { group: { type: 'string', id: 1 }, resource: { type: 'string', id: 2 } } },
                                GroupVersion: { fields: { group: { type: 'string', id: 1 }, version: { type: 'string', id: 2 } } },
                                GroupVersionForDiscovery: { fields: { groupVersion: { type: 'string', id: 1 }, version: { type: 'string', id: 2 } } },
                                GroupVersionKind: {
                                  fields: { group: { type: 'string', id: 1 }, version: { type: 'string', id: 2 }, kind: { type: 'string', id: 3 } },
                                },
                                GroupVersionResource: {
                                  fields: { group: { type: 'string', id: 1 }, version: { type: 'string', id: 2 }, resource: { type: 'string', id: 3 } },
                                },
                                LabelSelector: {
                                  fields: {
                                    matchLabels: { keyType: 'string', type: 'string', id: 1 },
                                    matchExpressions: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement', id: 2, rule: 'repeated' },
                                  },
                                },
                                LabelSelectorRequirement: {
                                  fields: {
                                    key: { type: 'string', id: 1 },
                                    operator: { type: 'string', id: 2 },
                                    values: { type: 'string', id: 3, rule: 'repeated' },
                                  },
                                },
                                List: {
                                  fields: {
                                    metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                                    items: { type: '.k8s.io.apimachinery.pkg.runtime.RawExtension', id: 2, rule: 'repeated' },
                                  },
                                },
                                ListMeta: {
                                  fields: {
                                    selfLink: { type: 'string', id: 1 },
                                    resourceVersion: { type: 'string', id: 2 },
                                    continue: { type: 'string', id: 3 },
                                    remainingItemCount: { type: 'int64', id: 4 },
                                  },
                                },
                                ListOptions: {
                                  fields: {
                                    labelSelector: { type: 'string', id: 1 },
                                    fieldSelector: { type: 'string', id: 2 },
                                    watch: { type: 'bool', id: 3 },
                                    allowWatchBookmarks: { type: 'bool', id: 9 },
                                    resourceVersion: { type: 'string', id: 4 },
                                    resourceVersionMatch: { type: 'string', id: 10 },
                                    timeoutSeconds: { type: 'int64', id: 5 },
                                    limit: { type: 'int64', id: 7 },
                                    continue: { type: 'string', id: 8 },
                                    sendInitialEvents: { type: 'bool', id: 11 },
                                  },
                                },
                                ManagedFieldsEntry: {
                                  fields: {
                                    manager: { type: 'string', id: 1 },
                                    operation: { type: 'string', id: 2 },
                                    apiVersion: { type: 'string', id: 3 },
                                    time: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 4 },
                                    fieldsType: { type: 'string', id: 6 },
                                    fieldsV1: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1', id: 7 },
                                    subresource: { type: 'string', id: 8 },
                                  },
                                },
                                MicroTime: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
                                ObjectMeta: {
                                  fields: {
                                    name: { type: 'string', id: 1 },
                                    generateName: { type: 'string', id: 2 },
                                    namespace: { type: 'string', id: 3 },
                                    selfLink: { type: 'string', id: 4 },
                                    uid: { type: 'string', id: 5 },
                                    resourceVersion: { type: 'string', id: 6 },
                                    generation: { type: 'int64', id: 7 },
                                    creationTimestamp: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 8 },
                                    deletionTimestamp: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 9 },
                                    deletionGracePeriodSeconds: { type: 'int64', id: 10 },
                                    labels: { keyType: 'string', type: 'string', id: 11 },
                                    annotations: { keyType: 'string', type: 'string', id: 12 },
                                    ownerReferences: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.OwnerReference', id: 13, rule: 'repeated' },
                                    finalizers: { type: 'string', id: 14, rule: 'repeated' },
                                    managedFields: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry', id: 17, rule: 'repeated' },
                                  },
                                },
                                OwnerReference: {
                                  fields: {
                                    apiVersion: { type: 'string', id: 5 },
                                    kind: { type: 'string', id: 1 },
                                    name: { type: 'string', id: 3 },
                                    uid: { type: 'string', id: 4 },
                                    controller: { type: 'bool', id: 6 },
                                    blockOwnerDeletion: { type: 'bool', id: 7 },
                                  },
                                },
                                PartialObjectMetadata: { fields: { metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 } } },
                                PartialObjectMetadataList: {
                                  fields: {
                                    metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                                    items: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.PartialObjectMetadata', id: 2, rule: 'repeated' },
                                  },
                                },
                                Patch: { fields: {} },
                                PatchOptions: {
                                  fields: {
                                    dryRun: { type: 'string', id: 1, rule: 'repeated' },
                                    force: { type: 'bool', id: 2 },
                                    fieldManager: { type: 'string', id: 3 },
                                    fieldValidation: { type: 'string', id: 4 },
                                  },
                                },
                                Preconditions: { fields: { uid: { type: 'string', id: 1 }, resourceVersion: { type: 'string', id: 2 } } },
                                RootPaths: { fields: { paths: { type: 'string', id: 1, rule: 'repeated' } } },
                                ServerAddressByClientCIDR: { fields: { clientCIDR: { type: 'string', id: 1 }, serverAddress: { type: 'string', id: 2 } } },
                                Status: {
                                  fields: {
                                    metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                                    status: { type: 'string', id: 2 },
                                    message: { type: 'string', id: 3 },
                                    reason: { type: 'string', id: 4 },
                                    details: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.StatusDetails', id: 5 },
                                    code: { type: 'int32', id: 6 },
                                  },
                                },
                                StatusCause: {
                                  fields: { reason: { type: 'string', id: 1 }, message: { type: 'string', id: 2 }, field: { type: 'string', id: 3 } },
                                },
                                StatusDetails: {
                                  fields: {
                                    name: { type: 'string', id: 1 },
                                    group: { type: 'string', id: 2 },
                                    kind: { type: 'string', id: 3 },
                                    uid: { type: 'string', id: 6 },
                                    causes: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.StatusCause', id: 4, rule: 'repeated' },
                                    retryAfterSeconds: { type: 'int32', id: 5 },
                                  },
                                },
                                TableOptions: { fields: { includeObject: { type: 'string', id: 1 } } },
                                Time: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
                                Timestamp: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
                                TypeMeta: { fields: { kind: { type: 'string', id: 1 }, apiVersion: { type: 'string', id: 2 } } },
                                UpdateOptions: {
                                  fields: {
                                    dryRun: { type: 'string', id: 1, rule: 'repeated' },
                                    fieldManager: { type: 'string', id: 2 },
                                    fieldValidation: { type: 'string', id: 3 },
                                  },
                                },
                                Verbs: { fields: { items: { type: 'string', id: 1, rule: 'repeated' } } },
                                WatchEvent: {
                                  fields: { type: { type: 'string', id: 1 }, object: { type: '.k8s.io.apimachinery.pkg.runtime.RawExtension', id: 2 } },
                                },
                              },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
            api: {
              nested: {
                scheduling: {
                  nested: {
                    v1: {
                      nested: {
                        PriorityClass: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            value: { type: 'int32', id: 2 },
                            globalDefault: { type: 'bool', id: 3 },
                            description: { type: 'string', id: 4 },
                            preemptionPolicy: { type: 'string', id: 5 },
                          },
                        },
                        PriorityClassList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.scheduling.v1.PriorityClass', id: 2, rule: 'repeated' },
                          },
                        },
                      },
                    },
                  },
                },
                coordination: {
                  nested: {
                    v1: {
                      nested: {
                        Lease: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.coordination.v1.LeaseSpec', id: 2 },
                          },
                        },
                        LeaseList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.coordination.v1.Lease', id: 2, rule: 'repeated' },
                          },
                        },
                        LeaseSpec: {
                          fields: {
                            holderIdentity: { type: 'string', id: 1 },
                            leaseDurationSeconds: { type: 'int32', id: 2 },
                            acquireTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime', id: 3 },
                            renewTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime', id: 4 },
                            leaseTransitions: { type: 'int32', id: 5 },
                            strategy: { type: 'string', id: 6 },
                            preferredHolder: { type: 'string', id: 7 },
                          },
                        },
                      },
                    },
                  },
                },
                rbac: {
                  nested: {
                    v1: {
                      nested: {
                        AggregationRule: {
                          fields: { clusterRoleSelectors: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector', id: 1, rule: 'repeated' } },
                        },
                        ClusterRole: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            rules: { type: '.k8s.io.api.rbac.v1.PolicyRule', id: 2, rule: 'repeated' },
                            aggregationRule: { type: '.k8s.io.api.rbac.v1.AggregationRule', id: 3 },
                          },
                        },
                        ClusterRoleBinding: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            subjects: { type: '.k8s.io.api.rbac.v1.Subject', id: 2, rule: 'repeated' },
                            roleRef: { type: '.k8s.io.api.rbac.v1.RoleRef', id: 3 },
                          },
                        },
                        ClusterRoleBindingList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.rbac.v1.ClusterRoleBinding', id: 2, rule: 'repeated' },
                          },
                        },
                        ClusterRoleList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.rbac.v1.ClusterRole', id: 2, rule: 'repeated' },
                          },
                        },
                        PolicyRule: {
                          fields: {
                            verbs: { type: 'string', id: 1, rule: 'repeated' },
                            apiGroups: { type: 'string', id: 2, rule: 'repeated' },
                            resources: { type: 'string', id: 3, rule: 'repeated' },
                            resourceNames: { type: 'string', id: 4, rule: 'repeated' },
                            nonResourceURLs: { type: 'string', id: 5, rule: 'repeated' },
                          },
                        },
                        Role: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            rules: { type: '.k8s.io.api.rbac.v1.PolicyRule', id: 2, rule: 'repeated' },
                          },
                        },
                        RoleBinding: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            subjects: { type: '.k8s.io.api.rbac.v1.Subject', id: 2, rule: 'repeated' },
                            roleRef: { type: '.k8s.io.api.rbac.v1.RoleRef', id: 3 },
                          },
                        },
                        RoleBindingList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.rbac.v1.RoleBinding', id: 2, rule: 'repeated' },
                          },
                        },
                        RoleList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.rbac.v1.Role', id: 2, rule: 'repeated' },
                          },
                        },
                        RoleRef: { fields: { apiGroup: { type: 'string', id: 1 }, kind: { type: 'string', id: 2 }, name: { type: 'string', id: 3 } } },
                        Subject: {
                          fields: {
                            kind: { type: 'string', id: 1 },
                            apiGroup: { type: 'string', id: 2 },
                            name: { type: 'string', id: 3 },
                            namespace: { type: 'string', id: 4 },
                          },
                        },
                      },
                    },
                  },
                },
                policy: {
                  nested: {
                    v1: {
                      nested: {
                        Eviction: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            deleteOptions: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions', id: 2 },
                          },
                        },
                        PodDisruptionBudget: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.policy.v1.PodDisruptionBudgetSpec', id: 2 },
                            status: { type: '.k8s.io.api.policy.v1.PodDisruptionBudgetStatus', id: 3 },
                          },
                        },
                        PodDisruptionBudgetList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.policy.v1.PodDisruptionBudget', id: 2, rule: 'repeated' },
                          },
                        },
                        PodDisruptionBudgetSpec: {
                          fields: {
                            minAvailable: { type: '.k8s.io.apimachinery.pkg.util.intstr.IntOrString', id: 1 },
                            selector: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector', id: 2 },
                            maxUnavailable: { type: '.k8s.io.apimachinery.pkg.util.intstr.IntOrString', id: 3 },
                            unhealthyPodEvictionPolicy: { type: 'string', id: 4 },
                          },
                        },
                        PodDisruptionBudgetStatus: {
                          fields: {
                            observedGeneration: { type: 'int64', id: 1 },
                            disruptedPods: { keyType: 'string', type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 2 },
                            disruptionsAllowed: { type: 'int32', id: 3 },
                            currentHealthy: { type: 'int32', id: 4 },
                            desiredHealthy: { type: 'int32', id: 5 },
                            expectedPods: { type: 'int32', id: 6 },
                            conditions: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Condition', id: 7, rule: 'repeated' },
                          },
                        },
                      },
                    },
                  },
                },
                authentication: {
                  nested: {
                    v1: {
                      nested: {
                        BoundObjectReference: {
                          fields: {
                            kind: { type: 'string', id: 1 },
                            apiVersion: { type: 'string', id: 2 },
                            name: { type: 'string', id: 3 },
                            uID: { type: 'string', id: 4 },
                          },
                        },
                        ExtraValue: { fields: { items: { type: 'string', id: 1, rule: 'repeated' } } },
                        SelfSubjectReview: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            status: { type: '.k8s.io.api.authentication.v1.SelfSubjectReviewStatus', id: 2 },
                          },
                        },
                        SelfSubjectReviewStatus: { fields: { userInfo: { type: '.k8s.io.api.authentication.v1.UserInfo', id: 1 } } },
                        TokenRequest: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.authentication.v1.TokenRequestSpec', id: 2 },
                            status: { type: '.k8s.io.api.authentication.v1.TokenRequestStatus', id: 3 },
                          },
                        },
                        TokenRequestSpec: {
                          fields: {
                            audiences: { type: 'string', id: 1, rule: 'repeated' },
                            expirationSeconds: { type: 'int64', id: 4 },
                            boundObjectRef: { type: '.k8s.io.api.authentication.v1.BoundObjectReference', id: 3 },
                          },
                        },
                        TokenRequestStatus: {
                          fields: { token: { type: 'string', id: 1 }, expirationTimestamp: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 2 } },
                        },
                        TokenReview: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.authentication.v1.TokenReviewSpec', id: 2 },
                            status: { type: '.k8s.io.api.authentication.v1.TokenReviewStatus', id: 3 },
                          },
                        },
                        TokenReviewSpec: { fields: { token: { type: 'string', id: 1 }, audiences: { type: 'string', id: 2, rule: 'repeated' } } },
                        TokenReviewStatus: {
                          fields: {
                            authenticated: { type: 'bool', id: 1 },
                            user: { type: '.k8s.io.api.authentication.v1.UserInfo', id: 2 },
                            audiences: { type: 'string', id: 4, rule: 'repeated' },
                            error: { type: 'string', id: 3 },
                          },
                        },
                        UserInfo: {
                          fields: {
                            username: { type: 'string', id: 1 },
                            uid: { type: 'string', id: 2 },
                            groups: { type: 'string', id: 3, rule: 'repeated' },
                            extra: { keyType: 'string', type: '.k8s.io.api.authentication.v1.ExtraValue', id: 4 },
                          },
                        },
                      },
                    },
                  },
                },
                batch: {
                  nested: {
                    v1: {
                      nested: {
                        CronJob: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.batch.v1.CronJobSpec', id: 2 },
                            status: { type: '.k8s.io.api.batch.v1.CronJobStatus', id: 3 },
                          },
                        },
                        CronJobList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.batch.v1.CronJob', id: 2, rule: 'repeated' },
                          },
                        },
                        CronJobSpec: {
                          fields: {
                            schedule: { type: 'string', id: 1 },
                            timeZone: { type: 'string', id: 8 },
                            startingDeadlineSeconds: { type: 'int64', id: 2 },
                            concurrencyPolicy: { type: 'string', id: 3 },
                            suspend: { type: 'bool', id: 4 },
                            jobTemplate: { type: '.k8s.io.api.batch.v1.JobTemplateSpec', id: 5 },
                            successfulJobsHistoryLimit: { type: 'int32', id: 6 },
                            failedJobsHistoryLimit: { type: 'int32', id: 7 },
                          },
                        },
                        CronJobStatus: {
                          fields: {
                            active: { type: '.k8s.io.api.core.v1.ObjectReference', id: 1, rule: 'repeated' },
                            lastScheduleTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 4 },
                            lastSuccessfulTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 5 },
                          },
                        },
                        Job: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.batch.v1.JobSpec', id: 2 },
                            status: { type: '.k8s.io.api.batch.v1.JobStatus', id: 3 },
                          },
                        },
                        JobCondition: {
                          fields: {
                            type: { type: 'string', id: 1 },
                            status: { type: 'string', id: 2 },
                            lastProbeTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 3 },
                            lastTransitionTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 4 },
                            reason: { type: 'string', id: 5 },
                            message: { type: 'string', id: 6 },
                          },
                        },
                        JobList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.batch.v1.Job', id: 2, rule: 'repeated' },
                          },
                        },
                        JobSpec: {
                          fields: {
                            parallelism: { type: 'int32', id: 1 },
                            completions: { type: 'int32', id: 2 },
                            activeDeadlineSeconds: { type: 'int64', id: 3 },
                            podFailurePolicy: { type: '.k8s.io.api.batch.v1.PodFailurePolicy', id: 11 },
                            successPolicy: { type: '.k8s.io.api.batch.v1.SuccessPolicy', id: 16 },
                            backoffLimit: { type: 'int32', id: 7 },
                            backoffLimitPerIndex: { type: 'int32', id: 12 },
                            maxFailedIndexes: { type: 'int32', id: 13 },
                            selector: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector', id: 4 },
                            manualSelector: { type: 'bool', id: 5 },
                            template: { type: '.k8s.io.api.core.v1.PodTemplateSpec', id: 6 },
                            ttlSecondsAfterFinished: { type: 'int32', id: 8 },
                            completionMode: { type: 'string', id: 9 },
                            suspend: { type: 'bool', id: 10 },
                            podReplacementPolicy: { type: 'string', id: 14 },
                            managedBy: { type: 'string', id: 15 },
                          },
                        },
                        JobStatus: {
                          fields: {
                            conditions: { type: '.k8s.io.api.batch.v1.JobCondition', id: 1, rule: 'repeated' },
                            startTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 2 },
                            completionTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 3 },
                            active: { type: 'int32', id: 4 },
                            succeeded: { type: 'int32', id: 5 },
                            failed: { type: 'int32', id: 6 },
                            terminating: { type: 'int32', id: 11 },
                            completedIndexes: { type: 'string', id: 7 },
                            failedIndexes: { type: 'string', id: 10 },
                            uncountedTerminatedPods: { type: '.k8s.io.api.batch.v1.UncountedTerminatedPods', id: 8 },
                            ready: { type: 'int32', id: 9 },
                          },
                        },
                        JobTemplateSpec: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.batch.v1.JobSpec', id: 2 },
                          },
                        },
                        PodFailurePolicy: { fields: { rules: { type: '.k8s.io.api.batch.v1.PodFailurePolicyRule', id: 1, rule: 'repeated' } } },
                        PodFailurePolicyOnExitCodesRequirement: {
                          fields: {
                            containerName: { type: 'string', id: 1 },
                            operator: { type: 'string', id: 2 },
                            values: { type: 'int32', id: 3, rule: 'repeated' },
                          },
                        },
                        PodFailurePolicyOnPodConditionsPattern: { fields: { type: { type: 'string', id: 1 }, status: { type: 'string', id: 2 } } },
                        PodFailurePolicyRule: {
                          fields: {
                            action: { type: 'string', id: 1 },
                            onExitCodes: { type: '.k8s.io.api.batch.v1.PodFailurePolicyOnExitCodesRequirement', id: 2 },
                            onPodConditions: { type: '.k8s.io.api.batch.v1.PodFailurePolicyOnPodConditionsPattern', id: 3, rule: 'repeated' },
                          },
                        },
                        SuccessPolicy: { fields: { rules: { type: '.k8s.io.api.batch.v1.SuccessPolicyRule', id: 1, rule: 'repeated' } } },
                        SuccessPolicyRule: { fields: { succeededIndexes: { type: 'string', id: 1 }, succeededCount: { type: 'int32', id: 2 } } },
                        UncountedTerminatedPods: {
                          fields: { succeeded: { type: 'string', id: 1, rule: 'repeated' }, failed: { type: 'string', id: 2, rule: 'repeated' } },
                        },
                      },
                    },
                  },
                },
                networking: {
                  nested: {
                    v1: {
                      nested: {
                        HTTPIngressPath: {
                          fields: {
                            path: { type: 'string', id: 1 },
                            pathType: { type: 'string', id: 3 },
                            backend: { type: '.k8s.io.api.networking.v1.IngressBackend', id: 2 },
                          },
                        },
                        HTTPIngressRuleValue: { fields: { paths: { type: '.k8s.io.api.networking.v1.HTTPIngressPath', id: 1, rule: 'repeated' } } },
                        IPAddress: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.networking.v1.IPAddressSpec', id: 2 },
                          },
                        },
                        IPAddressList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.networking.v1.IPAddress', id: 2, rule: 'repeated' },
                          },
                        },
                        IPAddressSpec: { fields: { parentRef: { type: '.k8s.io.api.networking.v1.ParentReference', id: 1 } } },
                        IPBlock: { fields: { cidr: { type: 'string', id: 1 }, except: { type: 'string', id: 2, rule: 'repeated' } } },
                        Ingress: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.networking.v1.IngressSpec', id: 2 },
                            status: { type: '.k8s.io.api.networking.v1.IngressStatus', id: 3 },
                          },
                        },
                        IngressBackend: {
                          fields: {
                            service: { type: '.k8s.io.api.networking.v1.IngressServiceBackend', id: 4 },
                            resource: { type: '.k8s.io.api.core.v1.TypedLocalObjectReference', id: 3 },
                          },
                        },
                        IngressClass: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.networking.v1.IngressClassSpec', id: 2 },
                          },
                        },
                        IngressClassList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.networking.v1.IngressClass', id: 2, rule: 'repeated' },
                          },
                        },
                        IngressClassParametersReference: {
                          fields: {
                            aPIGroup: { type: 'string', id: 1 },
                            kind: { type: 'string', id: 2 },
                            name: { type: 'string', id: 3 },
                            scope: { type: 'string', id: 4 },
                            namespace: { type: 'string', id: 5 },
                          },
                        },
                        IngressClassSpec: {
                          fields: {
                            controller: { type: 'string', id: 1 },
                            parameters: { type: '.k8s.io.api.networking.v1.IngressClassParametersReference', id: 2 },
                          },
                        },
                        IngressList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.networking.v1.Ingress', id: 2, rule: 'repeated' },
                          },
                        },
                        IngressLoadBalancerIngress: {
                          fields: {
                            ip: { type: 'string', id: 1 },
                            hostname: { type: 'string', id: 2 },
                            ports: { type: '.k8s.io.api.networking.v1.IngressPortStatus', id: 4, rule: 'repeated' },
                          },
                        },
                        IngressLoadBalancerStatus: {
                          fields: { ingress: { type: '.k8s.io.api.networking.v1.IngressLoadBalancerIngress', id: 1, rule: 'repeated' } },
                        },
                        IngressPortStatus: {
                          fields: { port: { type: 'int32', id: 1 }, protocol: { type: 'string', id: 2 }, error: { type: 'string', id: 3 } },
                        },
                        IngressRule: {
                          fields: { host: { type: 'string', id: 1 }, ingressRuleValue: { type: '.k8s.io.api.networking.v1.IngressRuleValue', id: 2 } },
                        },
                        IngressRuleValue: { fields: { http: { type: '.k8s.io.api.networking.v1.HTTPIngressRuleValue', id: 1 } } },
                        IngressServiceBackend: {
                          fields: { name: { type: 'string', id: 1 }, port: { type: '.k8s.io.api.networking.v1.ServiceBackendPort', id: 2 } },
                        },
                        IngressSpec: {
                          fields: {
                            ingressClassName: { type: 'string', id: 4 },
                            defaultBackend: { type: '.k8s.io.api.networking.v1.IngressBackend', id: 1 },
                            tls: { type: '.k8s.io.api.networking.v1.IngressTLS', id: 2, rule: 'repeated' },
                            rules: { type: '.k8s.io.api.networking.v1.IngressRule', id: 3, rule: 'repeated' },
                          },
                        },
                        IngressStatus: { fields: { loadBalancer: { type: '.k8s.io.api.networking.v1.IngressLoadBalancerStatus', id: 1 } } },
                        IngressTLS: { fields: { hosts: { type: 'string', id: 1, rule: 'repeated' }, secretName: { type: 'string', id: 2 } } },
                        NetworkPolicy: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.networking.v1.NetworkPolicySpec', id: 2 },
                          },
                        },
                        NetworkPolicyEgressRule: {
                          fields: {
                            ports: { type: '.k8s.io.api.networking.v1.NetworkPolicyPort', id: 1, rule: 'repeated' },
                            to: { type: '.k8s.io.api.networking.v1.NetworkPolicyPeer', id: 2, rule: 'repeated' },
                          },
                        },
                        NetworkPolicyIngressRule: {
                          fields: {
                            ports: { type: '.k8s.io.api.networking.v1.NetworkPolicyPort', id: 1, rule: 'repeated' },
                            from: { type: '.k8s.io.api.networking.v1.NetworkPolicyPeer', id: 2, rule: 'repeated' },
                          },
                        },
                        NetworkPolicyList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.networking.v1.NetworkPolicy', id: 2, rule: 'repeated' },
                          },
                        },
                        NetworkPolicyPeer: {
                          fields: {
                            podSelector: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector', id: 1 },
                            namespaceSelector: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector', id: 2 },
                            ipBlock: { type: '.k8s.io.api.networking.v1.IPBlock', id: 3 },
                          },
                        },
                        NetworkPolicyPort: {
                          fields: {
                            protocol: { type: 'string', id: 1 },
                            port: { type: '.k8s.io.apimachinery.pkg.util.intstr.IntOrString', id: 2 },
                            endPort: { type: 'int32', id: 3 },
                          },
                        },
                        NetworkPolicySpec: {
                          fields: {
                            podSelector: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector', id: 1 },
                            ingress: { type: '.k8s.io.api.networking.v1.NetworkPolicyIngressRule', id: 2, rule: 'repeated' },
                            egress: { type: '.k8s.io.api.networking.v1.NetworkPolicyEgressRule', id: 3, rule: 'repeated' },
                            policyTypes: { type: 'string', id: 4, rule: 'repeated' },
                          },
                        },
                        ParentReference: {
                          fields: {
                            group: { type: 'string', id: 1 },
                            resource: { type: 'string', id: 2 },
                            namespace: { type: 'string', id: 3 },
                            name: { type: 'string', id: 4 },
                          },
                        },
                        ServiceBackendPort: { fields: { name: { type: 'string', id: 1 }, number: { type: 'int32', id: 2 } } },
                        ServiceCIDR: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.networking.v1.ServiceCIDRSpec', id: 2 },
                            status: { type: '.k8s.io.api.networking.v1.ServiceCIDRStatus', id: 3 },
                          },
                        },
                        ServiceCIDRList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.networking.v1.ServiceCIDR', id: 2, rule: 'repeated' },
                          },
                        },
                        ServiceCIDRSpec: { fields: { cidrs: { type: 'string', id: 1, rule: 'repeated' } } },
                        ServiceCIDRStatus: { fields: { conditions: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Condition', id: 1, rule: 'repeated' } } },
                      },
                    },
                  },
                },
                apps: {
                  nested: {
                    v1: {
                      nested: {
                        ControllerRevision: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            data: { type: '.k8s.io.apimachinery.pkg.runtime.RawExtension', id: 2 },
                            revision: { type: 'int64', id: 3 },
                          },
                        },
                        ControllerRevisionList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.apps.v1.ControllerRevision', id: 2, rule: 'repeated' },
                          },
                        },
                        DaemonSet: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.apps.v1.DaemonSetSpec', id: 2 },
                            status: { type: '.k8s.io.api.apps.v1.DaemonSetStatus', id: 3 },
                          },
                        },
                        DaemonSetCondition: {
                          fields: {
                            type: { type: 'string', id: 1 },
                            status: { type: 'string', id: 2 },
                            lastTransitionTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 3 },
                            reason: { type: 'string', id: 4 },
                            message: { type: 'string', id: 5 },
                          },
                        },
                        DaemonSetList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.apps.v1.DaemonSet', id: 2, rule: 'repeated' },
                          },
                        },
                        DaemonSetSpec: {
                          fields: {
                            selector: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector', id: 1 },
                            template: { type: '.k8s.io.api.core.v1.PodTemplateSpec', id: 2 },
                            updateStrategy: { type: '.k8s.io.api.apps.v1.DaemonSetUpdateStrategy', id: 3 },
                            minReadySeconds: { type: 'int32', id: 4 },
                            revisionHistoryLimit: { type: 'int32', id: 6 },
                          },
                        },
                        DaemonSetStatus: {
                          fields: {
                            currentNumberScheduled: { type: 'int32', id: 1 },
                            numberMisscheduled: { type: 'int32', id: 2 },
                            desiredNumberScheduled: { type: 'int32', id: 3 },
                            numberReady: { type: 'int32', id: 4 },
                            observedGeneration: { type: 'int64', id: 5 },
                            updatedNumberScheduled: { type: 'int32', id: 6 },
                            numberAvailable: { type: 'int32', id: 7 },
                            numberUnavailable: { type: 'int32', id: 8 },
                            collisionCount: { type: 'int32', id: 9 },
                            conditions: { type: '.k8s.io.api.apps.v1.DaemonSetCondition', id: 10, rule: 'repeated' },
                          },
                        },
                        DaemonSetUpdateStrategy: {
                          fields: { type: { type: 'string', id: 1 }, rollingUpdate: { type: '.k8s.io.api.apps.v1.RollingUpdateDaemonSet', id: 2 } },
                        },
                        Deployment: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.apps.v1.DeploymentSpec', id: 2 },
                            status: { type: '.k8s.io.api.apps.v1.DeploymentStatus', id: 3 },
                          },
                        },
                        DeploymentCondition: {
                          fields: {
                            type: { type: 'string', id: 1 },
                            status: { type: 'string', id: 2 },
                            lastUpdateTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 6 },
                            lastTransitionTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 7 },
                            reason: { type: 'string', id: 4 },
                            message: { type: 'string', id: 5 },
                          },
                        },
                        DeploymentList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.apps.v1.Deployment', id: 2, rule: 'repeated' },
                          },
                        },
                        DeploymentSpec: {
                          fields: {
                            replicas: { type: 'int32', id: 1 },
                            selector: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector', id: 2 },
                            template: { type: '.k8s.io.api.core.v1.PodTemplateSpec', id: 3 },
                            strategy: { type: '.k8s.io.api.apps.v1.DeploymentStrategy', id: 4 },
                            minReadySeconds: { type: 'int32', id: 5 },
                            revisionHistoryLimit: { type: 'int32', id: 6 },
                            paused: { type: 'bool', id: 7 },
                            progressDeadlineSeconds: { type: 'int32', id: 9 },
                          },
                        },
                        DeploymentStatus: {
                          fields: {
                            observedGeneration: { type: 'int64', id: 1 },
                            replicas: { type: 'int32', id: 2 },
                            updatedReplicas: { type: 'int32', id: 3 },
                            readyReplicas: { type: 'int32', id: 7 },
                            availableReplicas: { type: 'int32', id: 4 },
                            unavailableReplicas: { type: 'int32', id: 5 },
                            terminatingReplicas: { type: 'int32', id: 9 },
                            conditions: { type: '.k8s.io.api.apps.v1.DeploymentCondition', id: 6, rule: 'repeated' },
                            collisionCount: { type: 'int32', id: 8 },
                          },
                        },
                        DeploymentStrategy: {
                          fields: { type: { type: 'string', id: 1 }, rollingUpdate: { type: '.k8s.io.api.apps.v1.RollingUpdateDeployment', id: 2 } },
                        },
                        ReplicaSet: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.apps.v1.ReplicaSetSpec', id: 2 },
                            status: { type: '.k8s.io.api.apps.v1.ReplicaSetStatus', id: 3 },
                          },
                        },
                        ReplicaSetCondition: {
                          fields: {
                            type: { type: 'string', id: 1 },
                            status: { type: 'string', id: 2 },
                            lastTransitionTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 3 },
                            reason: { type: 'string', id: 4 },
                            message: { type: 'string', id: 5 },
                          },
                        },
                        ReplicaSetList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.apps.v1.ReplicaSet', id: 2, rule: 'repeated' },
                          },
                        },
                        ReplicaSetSpec: {
                          fields: {
                            replicas: { type: 'int32', id: 1 },
                            minReadySeconds: { type: 'int32', id: 4 },
                            selector: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector', id: 2 },
                            template: { type: '.k8s.io.api.core.v1.PodTemplateSpec', id: 3 },
                          },
                        },
                        ReplicaSetStatus: {
                          fields: {
                            replicas: { type: 'int32', id: 1 },
                            fullyLabeledReplicas: { type: 'int32', id: 2 },
                            readyReplicas: { type: 'int32', id: 4 },
                            availableReplicas: { type: 'int32', id: 5 },
                            terminatingReplicas: { type: 'int32', id: 7 },
                            observedGeneration: { type: 'int64', id: 3 },
                            conditions: { type: '.k8s.io.api.apps.v1.ReplicaSetCondition', id: 6, rule: 'repeated' },
                          },
                        },
                        RollingUpdateDaemonSet: {
                          fields: {
                            maxUnavailable: { type: '.k8s.io.apimachinery.pkg.util.intstr.IntOrString', id: 1 },
                            maxSurge: { type: '.k8s.io.apimachinery.pkg.util.intstr.IntOrString', id: 2 },
                          },
                        },
                        RollingUpdateDeployment: {
                          fields: {
                            maxUnavailable: { type: '.k8s.io.apimachinery.pkg.util.intstr.IntOrString', id: 1 },
                            maxSurge: { type: '.k8s.io.apimachinery.pkg.util.intstr.IntOrString', id: 2 },
                          },
                        },
                        RollingUpdateStatefulSetStrategy: {
                          fields: { partition: { type: 'int32', id: 1 }, maxUnavailable: { type: '.k8s.io.apimachinery.pkg.util.intstr.IntOrString', id: 2 } },
                        },
                        StatefulSet: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.apps.v1.StatefulSetSpec', id: 2 },
                            status: { type: '.k8s.io.api.apps.v1.StatefulSetStatus', id: 3 },
                          },
                        },
                        StatefulSetCondition: {
                          fields: {
                            type: { type: 'string', id: 1 },
                            status: { type: 'string', id: 2 },
                            lastTransitionTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 3 },
                            reason: { type: 'string', id: 4 },
                            message: { type: 'string', id: 5 },
                          },
                        },
                        StatefulSetList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.apps.v1.StatefulSet', id: 2, rule: 'repeated' },
                          },
                        },
                        StatefulSetOrdinals: { fields: { start: { type: 'int32', id: 1 } } },
                        StatefulSetPersistentVolumeClaimRetentionPolicy: {
                          fields: { whenDeleted: { type: 'string', id: 1 }, whenScaled: { type: 'string', id: 2 } },
                        },
                        StatefulSetSpec: {
                          fields: {
                            replicas: { type: 'int32', id: 1 },
                            selector: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector', id: 2 },
                            template: { type: '.k8s.io.api.core.v1.PodTemplateSpec', id: 3 },
                            volumeClaimTemplates: { type: '.k8s.io.api.core.v1.PersistentVolumeClaim', id: 4, rule: 'repeated' },
                            serviceName: { type: 'string', id: 5 },
                            podManagementPolicy: { type: 'string', id: 6 },
                            updateStrategy: { type: '.k8s.io.api.apps.v1.StatefulSetUpdateStrategy', id: 7 },
                            revisionHistoryLimit: { type: 'int32', id: 8 },
                            minReadySeconds: { type: 'int32', id: 9 },
                            persistentVolumeClaimRetentionPolicy: { type: '.k8s.io.api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy', id: 10 },
                            ordinals: { type: '.k8s.io.api.apps.v1.StatefulSetOrdinals', id: 11 },
                          },
                        },
                        StatefulSetStatus: {
                          fields: {
                            observedGeneration: { type: 'int64', id: 1 },
                            replicas: { type: 'int32', id: 2 },
                            readyReplicas: { type: 'int32', id: 3 },
                            currentReplicas: { type: 'int32', id: 4 },
                            updatedReplicas: { type: 'int32', id: 5 },
                            currentRevision: { type: 'string', id: 6 },
                            updateRevision: { type: 'string', id: 7 },
                            collisionCount: { type: 'int32', id: 9 },
                            conditions: { type: '.k8s.io.api.apps.v1.StatefulSetCondition', id: 10, rule: 'repeated' },
                            availableReplicas: { type: 'int32', id: 11 },
                          },
                        },
                        StatefulSetUpdateStrategy: {
                          fields: { type: { type: 'string', id: 1 }, rollingUpdate: { type: '.k8s.io.api.apps.v1.RollingUpdateStatefulSetStrategy', id: 2 } },
                        },
                      },
                    },
                  },
                },
                core: {
                  nested: {
                    v1: {
                      nested: {
                        AWSElasticBlockStoreVolumeSource: {
                          fields: {
                            volumeID: { type: 'string', id: 1 },
                            fsType: { type: 'string', id: 2 },
                            partition: { type: 'int32', id: 3 },
                            readOnly: { type: 'bool', id: 4 },
                          },
                        },
                        Affinity: {
                          fields: {
                            nodeAffinity: { type: '.k8s.io.api.core.v1.NodeAffinity', id: 1 },
                            podAffinity: { type: '.k8s.io.api.core.v1.PodAffinity', id: 2 },
                            podAntiAffinity: { type: '.k8s.io.api.core.v1.PodAntiAffinity', id: 3 },
                          },
                        },
                        AppArmorProfile: { fields: { type: { type: 'string', id: 1 }, localhostProfile: { type: 'string', id: 2 } } },
                        AttachedVolume: { fields: { name: { type: 'string', id: 1 }, devicePath: { type: 'string', id: 2 } } },
                        AvoidPods: { fields: { preferAvoidPods: { type: '.k8s.io.api.core.v1.PreferAvoidPodsEntry', id: 1, rule: 'repeated' } } },
                        AzureDiskVolumeSource: {
                          fields: {
                            diskName: { type: 'string', id: 1 },
                            diskURI: { type: 'string', id: 2 },
                            cachingMode: { type: 'string', id: 3 },
                            fsType: { type: 'string', id: 4 },
                            readOnly: { type: 'bool', id: 5 },
                            kind: { type: 'string', id: 6 },
                          },
                        },
                        AzureFilePersistentVolumeSource: {
                          fields: {
                            secretName: { type: 'string', id: 1 },
                            shareName: { type: 'string', id: 2 },
                            readOnly: { type: 'bool', id: 3 },
                            secretNamespace: { type: 'string', id: 4 },
                          },
                        },
                        AzureFileVolumeSource: {
                          fields: { secretName: { type: 'string', id: 1 }, shareName: { type: 'string', id: 2 }, readOnly: { type: 'bool', id: 3 } },
                        },
                        Binding: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            target: { type: '.k8s.io.api.core.v1.ObjectReference', id: 2 },
                          },
                        },
                        CSIPersistentVolumeSource: {
                          fields: {
                            driver: { type: 'string', id: 1 },
                            volumeHandle: { type: 'string', id: 2 },
                            readOnly: { type: 'bool', id: 3 },
                            fsType: { type: 'string', id: 4 },
                            volumeAttributes: { keyType: 'string', type: 'string', id: 5 },
                            controllerPublishSecretRef: { type: '.k8s.io.api.core.v1.SecretReference', id: 6 },
                            nodeStageSecretRef: { type: '.k8s.io.api.core.v1.SecretReference', id: 7 },
                            nodePublishSecretRef: { type: '.k8s.io.api.core.v1.SecretReference', id: 8 },
                            controllerExpandSecretRef: { type: '.k8s.io.api.core.v1.SecretReference', id: 9 },
                            nodeExpandSecretRef: { type: '.k8s.io.api.core.v1.SecretReference', id: 10 },
                          },
                        },
                        CSIVolumeSource: {
                          fields: {
                            driver: { type: 'string', id: 1 },
                            readOnly: { type: 'bool', id: 2 },
                            fsType: { type: 'string', id: 3 },
                            volumeAttributes: { keyType: 'string', type: 'string', id: 4 },
                            nodePublishSecretRef: { type: '.k8s.io.api.core.v1.LocalObjectReference', id: 5 },
                          },
                        },
                        Capabilities: { fields: { add: { type: 'string', id: 1, rule: 'repeated' }, drop: { type: 'string', id: 2, rule: 'repeated' } } },
                        CephFSPersistentVolumeSource: {
                          fields: {
                            monitors: { type: 'string', id: 1, rule: 'repeated' },
                            path: { type: 'string', id: 2 },
                            user: { type: 'string', id: 3 },
                            secretFile: { type: 'string', id: 4 },
                            secretRef: { type: '.k8s.io.api.core.v1.SecretReference', id: 5 },
                            readOnly: { type: 'bool', id: 6 },
                          },
                        },
                        CephFSVolumeSource: {
                          fields: {
                            monitors: { type: 'string', id: 1, rule: 'repeated' },
                            path: { type: 'string', id: 2 },
                            user: { type: 'string', id: 3 },
                            secretFile: { type: 'string', id: 4 },
                            secretRef: { type: '.k8s.io.api.core.v1.LocalObjectReference', id: 5 },
                            readOnly: { type: 'bool', id: 6 },
                          },
                        },
                        CinderPersistentVolumeSource: {
                          fields: {
                            volumeID: { type: 'string', id: 1 },
                            fsType: { type: 'string', id: 2 },
                            readOnly: { type: 'bool', id: 3 },
                            secretRef: { type: '.k8s.io.api.core.v1.SecretReference', id: 4 },
                          },
                        },
                        CinderVolumeSource: {
                          fields: {
                            volumeID: { type: 'string', id: 1 },
                            fsType: { type: 'string', id: 2 },
                            readOnly: { type: 'bool', id: 3 },
                            secretRef: { type: '.k8s.io.api.core.v1.LocalObjectReference', id: 4 },
                          },
                        },
                        ClientIPConfig: { fields: { timeoutSeconds: { type: 'int32', id: 1 } } },
                        ClusterTrustBundleProjection: {
                          fields: {
                            name: { type: 'string', id: 1 },
                            signerName: { type: 'string', id: 2 },
                            labelSelector: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector', id: 3 },
                            optional: { type: 'bool', id: 5 },
                            path: { type: 'string', id: 4 },
                          },
                        },
                        ComponentCondition: {
                          fields: {
                            type: { type: 'string', id: 1 },
                            status: { type: 'string', id: 2 },
                            message: { type: 'string', id: 3 },
                            error: { type: 'string', id: 4 },
                          },
                        },
                        ComponentStatus: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            conditions: { type: '.k8s.io.api.core.v1.ComponentCondition', id: 2, rule: 'repeated' },
                          },
                        },
                        ComponentStatusList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.core.v1.ComponentStatus', id: 2, rule: 'repeated' },
                          },
                        },
                        ConfigMap: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            immutable: { type: 'bool', id: 4 },
                            data: { keyType: 'string', type: 'string', id: 2 },
                            binaryData: { keyType: 'string', type: 'bytes', id: 3 },
                          },
                        },
                        ConfigMapEnvSource: {
                          fields: { localObjectReference: { type: '.k8s.io.api.core.v1.LocalObjectReference', id: 1 }, optional: { type: 'bool', id: 2 } },
                        },
                        ConfigMapKeySelector: {
                          fields: {
                            localObjectReference: { type: '.k8s.io.api.core.v1.LocalObjectReference', id: 1 },
                            key: { type: 'string', id: 2 },
                            optional: { type: 'bool', id: 3 },
                          },
                        },
                        ConfigMapList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.core.v1.ConfigMap', id: 2, rule: 'repeated' },
                          },
                        },
                        ConfigMapNodeConfigSource: {
                          fields: {
                            namespace: { type: 'string', id: 1 },
                            name: { type: 'string', id: 2 },
                            uid: { type: 'string', id: 3 },
                            resourceVersion: { type: 'string', id: 4 },
                            kubeletConfigKey: { type: 'string', id: 5 },
                          },
                        },
                        ConfigMapProjection: {
                          fields: {
                            localObjectReference: { type: '.k8s.io.api.core.v1.LocalObjectReference', id: 1 },
                            items: { type: '.k8s.io.api.core.v1.KeyToPath', id: 2, rule: 'repeated' },
                            optional: { type: 'bool', id: 4 },
                          },
                        },
                        ConfigMapVolumeSource: {
                          fields: {
                            localObjectReference: { type: '.k8s.io.api.core.v1.LocalObjectReference', id: 1 },
                            items: { type: '.k8s.io.api.core.v1.KeyToPath', id: 2, rule: 'repeated' },
                            defaultMode: { type: 'int32', id: 3 },
                            optional: { type: 'bool', id: 4 },
                          },
                        },
                        Container: {
                          fields: {
                            name: { type: 'string', id: 1 },
                            image: { type: 'string', id: 2 },
                            command: { type: 'string', id: 3, rule: 'repeated' },
                            args: { type: 'string', id: 4, rule: 'repeated' },
                            workingDir: { type: 'string', id: 5 },
                            ports: { type: '.k8s.io.api.core.v1.ContainerPort', id: 6, rule: 'repeated' },
                            envFrom: { type: '.k8s.io.api.core.v1.EnvFromSource', id: 19, rule: 'repeated' },
                            env: { type: '.k8s.io.api.core.v1.EnvVar', id: 7, rule: 'repeated' },
                            resources: { type: '.k8s.io.api.core.v1.ResourceRequirements', id: 8 },
                            resizePolicy: { type: '.k8s.io.api.core.v1.ContainerResizePolicy', id: 23, rule: 'repeated' },
                            restartPolicy: { type: 'string', id: 24 },
                            volumeMounts: { type: '.k8s.io.api.core.v1.VolumeMount', id: 9, rule: 'repeated' },
                            volumeDevices: { type: '.k8s.io.api.core.v1.VolumeDevice', id: 21, rule: 'repeated' },
                            livenessProbe: { type: '.k8s.io.api.core.v1.Probe', id: 10 },
                            readinessProbe: { type: '.k8s.io.api.core.v1.Probe', id: 11 },
                            startupProbe: { type: '.k8s.io.api.core.v1.Probe', id: 22 },
                            lifecycle: { type: '.k8s.io.api.core.v1.Lifecycle', id: 12 },
                            terminationMessagePath: { type: 'string', id: 13 },
                            terminationMessagePolicy: { type: 'string', id: 20 },
                            imagePullPolicy: { type: 'string', id: 14 },
                            securityContext: { type: '.k8s.io.api.core.v1.SecurityContext', id: 15 },
                            stdin: { type: 'bool', id: 16 },
                            stdinOnce: { type: 'bool', id: 17 },
                            tty: { type: 'bool', id: 18 },
                          },
                        },
                        ContainerImage: { fields: { names: { type: 'string', id: 1, rule: 'repeated' }, sizeBytes: { type: 'int64', id: 2 } } },
                        ContainerPort: {
                          fields: {
                            name: { type: 'string', id: 1 },
                            hostPort: { type: 'int32', id: 2 },
                            containerPort: { type: 'int32', id: 3 },
                            protocol: { type: 'string', id: 4 },
                            hostIP: { type: 'string', id: 5 },
                          },
                        },
                        ContainerResizePolicy: { fields: { resourceName: { type: 'string', id: 1 }, restartPolicy: { type: 'string', id: 2 } } },
                        ContainerState: {
                          fields: {
                            waiting: { type: '.k8s.io.api.core.v1.ContainerStateWaiting', id: 1 },
                            running: { type: '.k8s.io.api.core.v1.ContainerStateRunning', id: 2 },
                            terminated: { type: '.k8s.io.api.core.v1.ContainerStateTerminated', id: 3 },
                          },
                        },
                        ContainerStateRunning: { fields: { startedAt: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 1 } } },
                        ContainerStateTerminated: {
                          fields: {
                            exitCode: { type: 'int32', id: 1 },
                            signal: { type: 'int32', id: 2 },
                            reason: { type: 'string', id: 3 },
                            message: { type: 'string', id: 4 },
                            startedAt: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 5 },
                            finishedAt: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 6 },
                            containerID: { type: 'string', id: 7 },
                          },
                        },
                        ContainerStateWaiting: { fields: { reason: { type: 'string', id: 1 }, message: { type: 'string', id: 2 } } },
                        ContainerStatus: {
                          fields: {
                            name: { type: 'string', id: 1 },
                            state: { type: '.k8s.io.api.core.v1.ContainerState', id: 2 },
                            lastState: { type: '.k8s.io.api.core.v1.ContainerState', id: 3 },
                            ready: { type: 'bool', id: 4 },
                            restartCount: { type: 'int32', id: 5 },
                            image: { type: 'string', id: 6 },
                            imageID: { type: 'string', id: 7 },
                            containerID: { type: 'string', id: 8 },
                            started: { type: 'bool', id: 9 },
                            allocatedResources: { keyType: 'string', type: '.k8s.io.apimachinery.pkg.api.resource.Quantity', id: 10 },
                            resources: { type: '.k8s.io.api.core.v1.ResourceRequirements', id: 11 },
                            volumeMounts: { type: '.k8s.io.api.core.v1.VolumeMountStatus', id: 12, rule: 'repeated' },
                            user: { type: '.k8s.io.api.core.v1.ContainerUser', id: 13 },
                            allocatedResourcesStatus: { type: '.k8s.io.api.core.v1.ResourceStatus', id: 14, rule: 'repeated' },
                            stopSignal: { type: 'string', id: 15 },
                          },
                        },
                        ContainerUser: { fields: { linux: { type: '.k8s.io.api.core.v1.LinuxContainerUser', id: 1 } } },
                        DaemonEndpoint: { fields: { Port: { type: 'int32', id: 1 } } },
                        DownwardAPIProjection: { fields: { items: { type: '.k8s.io.api.core.v1.DownwardAPIVolumeFile', id: 1, rule: 'repeated' } } },
                        DownwardAPIVolumeFile: {
                          fields: {
                            path: { type: 'string', id: 1 },
                            fieldRef: { type: '.k8s.io.api.core.v1.ObjectFieldSelector', id: 2 },
                            resourceFieldRef: { type: '.k8s.io.api.core.v1.ResourceFieldSelector', id: 3 },
                            mode: { type: 'int32', id: 4 },
                          },
                        },
                        DownwardAPIVolumeSource: {
                          fields: {
                            items: { type: '.k8s.io.api.core.v1.DownwardAPIVolumeFile', id: 1, rule: 'repeated' },
                            defaultMode: { type: 'int32', id: 2 },
                          },
                        },
                        EmptyDirVolumeSource: {
                          fields: { medium: { type: 'string', id: 1 }, sizeLimit: { type: '.k8s.io.apimachinery.pkg.api.resource.Quantity', id: 2 } },
                        },
                        EndpointAddress: {
                          fields: {
                            ip: { type: 'string', id: 1 },
                            hostname: { type: 'string', id: 3 },
                            nodeName: { type: 'string', id: 4 },
                            targetRef: { type: '.k8s.io.api.core.v1.ObjectReference', id: 2 },
                          },
                        },
                        EndpointPort: {
                          fields: {
                            name: { type: 'string', id: 1 },
                            port: { type: 'int32', id: 2 },
                            protocol: { type: 'string', id: 3 },
                            appProtocol: { type: 'string', id: 4 },
                          },
                        },
                        EndpointSubset: {
                          fields: {
                            addresses: { type: '.k8s.io.api.core.v1.EndpointAddress', id: 1, rule: 'repeated' },
                            notReadyAddresses: { type: '.k8s.io.api.core.v1.EndpointAddress', id: 2, rule: 'repeated' },
                            ports: { type: '.k8s.io.api.core.v1.EndpointPort', id: 3, rule: 'repeated' },
                          },
                        },
                        Endpoints: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            subsets: { type: '.k8s.io.api.core.v1.EndpointSubset', id: 2, rule: 'repeated' },
                          },
                        },
                        EndpointsList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.core.v1.Endpoints', id: 2, rule: 'repeated' },
                          },
                        },
                        EnvFromSource: {
                          fields: {
                            prefix: { type: 'string', id: 1 },
                            configMapRef: { type: '.k8s.io.api.core.v1.ConfigMapEnvSource', id: 2 },
                            secretRef: { type: '.k8s.io.api.core.v1.SecretEnvSource', id: 3 },
                          },
                        },
                        EnvVar: {
                          fields: {
                            name: { type: 'string', id: 1 },
                            value: { type: 'string', id: 2 },
                            valueFrom: { type: '.k8s.io.api.core.v1.EnvVarSource', id: 3 },
                          },
                        },
                        EnvVarSource: {
                          fields: {
                            fieldRef: { type: '.k8s.io.api.core.v1.ObjectFieldSelector', id: 1 },
                            resourceFieldRef: { type: '.k8s.io.api.core.v1.ResourceFieldSelector', id: 2 },
                            configMapKeyRef: { type: '.k8s.io.api.core.v1.ConfigMapKeySelector', id: 3 },
                            secretKeyRef: { type: '.k8s.io.api.core.v1.SecretKeySelector', id: 4 },
                          },
                        },
                        EphemeralContainer: {
                          fields: {
                            ephemeralContainerCommon: { type: '.k8s.io.api.core.v1.EphemeralContainerCommon', id: 1 },
                            targetContainerName: { type: 'string', id: 2 },
                          },
                        },
                        EphemeralContainerCommon: {
                          fields: {
                            name: { type: 'string', id: 1 },
                            image: { type: 'string', id: 2 },
                            command: { type: 'string', id: 3, rule: 'repeated' },
                            args: { type: 'string', id: 4, rule: 'repeated' },
                            workingDir: { type: 'string', id: 5 },
                            ports: { type: '.k8s.io.api.core.v1.ContainerPort', id: 6, rule: 'repeated' },
                            envFrom: { type: '.k8s.io.api.core.v1.EnvFromSource', id: 19, rule: 'repeated' },
                            env: { type: '.k8s.io.api.core.v1.EnvVar', id: 7, rule: 'repeated' },
                            resources: { type: '.k8s.io.api.core.v1.ResourceRequirements', id: 8 },
                            resizePolicy: { type: '.k8s.io.api.core.v1.ContainerResizePolicy', id: 23, rule: 'repeated' },
                            restartPolicy: { type: 'string', id: 24 },
                            volumeMounts: { type: '.k8s.io.api.core.v1.VolumeMount', id: 9, rule: 'repeated' },
                            volumeDevices: { type: '.k8s.io.api.core.v1.VolumeDevice', id: 21, rule: 'repeated' },
                            livenessProbe: { type: '.k8s.io.api.core.v1.Probe', id: 10 },
                            readinessProbe: { type: '.k8s.io.api.core.v1.Probe', id: 11 },
                            startupProbe: { type: '.k8s.io.api.core.v1.Probe', id: 22 },
                            lifecycle: { type: '.k8s.io.api.core.v1.Lifecycle', id: 12 },
                            terminationMessagePath: { type: 'string', id: 13 },
                            terminationMessagePolicy: { type: 'string', id: 20 },
                            imagePullPolicy: { type: 'string', id: 14 },
                            securityContext: { type: '.k8s.io.api.core.v1.SecurityContext', id: 15 },
                            stdin: { type: 'bool', id: 16 },
                            stdinOnce: { type: 'bool', id: 17 },
                            tty: { type: 'bool', id: 18 },
                          },
                        },
                        EphemeralVolumeSource: { fields: { volumeClaimTemplate: { type: '.k8s.io.api.core.v1.PersistentVolumeClaimTemplate', id: 1 } } },
                        Event: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            involvedObject: { type: '.k8s.io.api.core.v1.ObjectReference', id: 2 },
                            reason: { type: 'string', id: 3 },
                            message: { type: 'string', id: 4 },
                            source: { type: '.k8s.io.api.core.v1.EventSource', id: 5 },
                            firstTimestamp: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 6 },
                            lastTimestamp: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 7 },
                            count: { type: 'int32', id: 8 },
                            type: { type: 'string', id: 9 },
                            eventTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime', id: 10 },
                            series: { type: '.k8s.io.api.core.v1.EventSeries', id: 11 },
                            action: { type: 'string', id: 12 },
                            related: { type: '.k8s.io.api.core.v1.ObjectReference', id: 13 },
                            reportingComponent: { type: 'string', id: 14 },
                            reportingInstance: { type: 'string', id: 15 },
                          },
                        },
                        EventList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.core.v1.Event', id: 2, rule: 'repeated' },
                          },
                        },
                        EventSeries: {
                          fields: { count: { type: 'int32', id: 1 }, lastObservedTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime', id: 2 } },
                        },
                        EventSource: { fields: { component: { type: 'string', id: 1 }, host: { type: 'string', id: 2 } } },
                        ExecAction: { fields: { command: { type: 'string', id: 1, rule: 'repeated' } } },
                        FCVolumeSource: {
                          fields: {
                            targetWWNs: { type: 'string', id: 1, rule: 'repeated' },
                            lun: { type: 'int32', id: 2 },
                            fsType: { type: 'string', id: 3 },
                            readOnly: { type: 'bool', id: 4 },
                            wwids: { type: 'string', id: 5, rule: 'repeated' },
                          },
                        },
                        FlexPersistentVolumeSource: {
                          fields: {
                            driver: { type: 'string', id: 1 },
                            fsType: { type: 'string', id: 2 },
                            secretRef: { type: '.k8s.io.api.core.v1.SecretReference', id: 3 },
                            readOnly: { type: 'bool', id: 4 },
                            options: { keyType: 'string', type: 'string', id: 5 },
                          },
                        },
                        FlexVolumeSource: {
                          fields: {
                            driver: { type: 'string', id: 1 },
                            fsType: { type: 'string', id: 2 },
                            secretRef: { type: '.k8s.io.api.core.v1.LocalObjectReference', id: 3 },
                            readOnly: { type: 'bool', id: 4 },
                            options: { keyType: 'string', type: 'string', id: 5 },
                          },
                        },
                        FlockerVolumeSource: { fields: { datasetName: { type: 'string', id: 1 }, datasetUUID: { type: 'string', id: 2 } } },
                        GCEPersistentDiskVolumeSource: {
                          fields: {
                            pdName: { type: 'string', id: 1 },
                            fsType: { type: 'string', id: 2 },
                            partition: { type: 'int32', id: 3 },
                            readOnly: { type: 'bool', id: 4 },
                          },
                        },
                        GRPCAction: { fields: { port: { type: 'int32', id: 1 }, service: { type: 'string', id: 2 } } },
                        GitRepoVolumeSource: {
                          fields: { repository: { type: 'string', id: 1 }, revision: { type: 'string', id: 2 }, directory: { type: 'string', id: 3 } },
                        },
                        GlusterfsPersistentVolumeSource: {
                          fields: {
                            endpoints: { type: 'string', id: 1 },
                            path: { type: 'string', id: 2 },
                            readOnly: { type: 'bool', id: 3 },
                            endpointsNamespace: { type: 'string', id: 4 },
                          },
                        },
                        GlusterfsVolumeSource: {
                          fields: { endpoints: { type: 'string', id: 1 }, path: { type: 'string', id: 2 }, readOnly: { type: 'bool', id: 3 } },
                        },
                        HTTPGetAction: {
                          fields: {
                            path: { type: 'string', id: 1 },
                            port: { type: '.k8s.io.apimachinery.pkg.util.intstr.IntOrString', id: 2 },
                            host: { type: 'string', id: 3 },
                            scheme: { type: 'string', id: 4 },
                            httpHeaders: { type: '.k8s.io.api.core.v1.HTTPHeader', id: 5, rule: 'repeated' },
                          },
                        },
                        HTTPHeader: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
                        HostAlias: { fields: { ip: { type: 'string', id: 1 }, hostnames: { type: 'string', id: 2, rule: 'repeated' } } },
                        HostIP: { fields: { ip: { type: 'string', id: 1 } } },
                        HostPathVolumeSource: { fields: { path: { type: 'string', id: 1 }, type: { type: 'string', id: 2 } } },
                        ISCSIPersistentVolumeSource: {
                          fields: {
                            targetPortal: { type: 'string', id: 1 },
                            iqn: { type: 'string', id: 2 },
                            lun: { type: 'int32', id: 3 },
                            iscsiInterface: { type: 'string', id: 4 },
                            fsType: { type: 'string', id: 5 },
                            readOnly: { type: 'bool', id: 6 },
                            portals: { type: 'string', id: 7, rule: 'repeated' },
                            chapAuthDiscovery: { type: 'bool', id: 8 },
                            chapAuthSession: { type: 'bool', id: 11 },
                            secretRef: { type: '.k8s.io.api.core.v1.SecretReference', id: 10 },
                            initiatorName: { type: 'string', id: 12 },
                          },
                        },
                        ISCSIVolumeSource: {
                          fields: {
                            targetPortal: { type: 'string', id: 1 },
                            iqn: { type: 'string', id: 2 },
                            lun: { type: 'int32', id: 3 },
                            iscsiInterface: { type: 'string', id: 4 },
                            fsType: { type: 'string', id: 5 },
                            readOnly: { type: 'bool', id: 6 },
                            portals: { type: 'string', id: 7, rule: 'repeated' },
                            chapAuthDiscovery: { type: 'bool', id: 8 },
                            chapAuthSession: { type: 'bool', id: 11 },
                            secretRef: { type: '.k8s.io.api.core.v1.LocalObjectReference', id: 10 },
                            initiatorName: { type: 'string', id: 12 },
                          },
                        },
                        ImageVolumeSource: { fields: { reference: { type: 'string', id: 1 }, pullPolicy: { type: 'string', id: 2 } } },
                        KeyToPath: { fields: { key: { type: 'string', id: 1 }, path: { type: 'string', id: 2 }, mode: { type: 'int32', id: 3 } } },
                        Lifecycle: {
                          fields: {
                            postStart: { type: '.k8s.io.api.core.v1.LifecycleHandler', id: 1 },
                            preStop: { type: '.k8s.io.api.core.v1.LifecycleHandler', id: 2 },
                            stopSignal: { type: 'string', id: 3 },
                          },
                        },
                        LifecycleHandler: {
                          fields: {
                            exec: { type: '.k8s.io.api.core.v1.ExecAction', id: 1 },
                            httpGet: { type: '.k8s.io.api.core.v1.HTTPGetAction', id: 2 },
                            tcpSocket: { type: '.k8s.io.api.core.v1.TCPSocketAction', id: 3 },
                            sleep: { type: '.k8s.io.api.core.v1.SleepAction', id: 4 },
                          },
                        },
                        LimitRange: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.core.v1.LimitRangeSpec', id: 2 },
                          },
                        },
                        LimitRangeItem: {
                          fields: {
                            type: { type: 'string', id: 1 },
                            max: { keyType: 'string', type: '.k8s.io.apimachinery.pkg.api.resource.Quantity', id: 2 },
                            min: { keyType: 'string', type: '.k8s.io.apimachinery.pkg.api.resource.Quantity', id: 3 },
                            default: { keyType: 'string', type: '.k8s.io.apimachinery.pkg.api.resource.Quantity', id: 4 },
                            defaultRequest: { keyType: 'string', type: '.k8s.io.apimachinery.pkg.api.resource.Quantity', id: 5 },
                            maxLimitRequestRatio: { keyType: 'string', type: '.k8s.io.apimachinery.pkg.api.resource.Quantity', id: 6 },
                          },
                        },
                        LimitRangeList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.core.v1.LimitRange', id: 2, rule: 'repeated' },
                          },
                        },
                        LimitRangeSpec: { fields: { limits: { type: '.k8s.io.api.core.v1.LimitRangeItem', id: 1, rule: 'repeated' } } },
                        LinuxContainerUser: {
                          fields: {
                            uid: { type: 'int64', id: 1 },
                            gid: { type: 'int64', id: 2 },
                            supplementalGroups: { type: 'int64', id: 3, rule: 'repeated' },
                          },
                        },
                        List: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.apimachinery.pkg.runtime.RawExtension', id: 2, rule: 'repeated' },
                          },
                        },
                        LoadBalancerIngress: {
                          fields: {
                            ip: { type: 'string', id: 1 },
                            hostname: { type: 'string', id: 2 },
                            ipMode: { type: 'string', id: 3 },
                            ports: { type: '.k8s.io.api.core.v1.PortStatus', id: 4, rule: 'repeated' },
                          },
                        },
                        LoadBalancerStatus: { fields: { ingress: { type: '.k8s.io.api.core.v1.LoadBalancerIngress', id: 1, rule: 'repeated' } } },
                        LocalObjectReference: { fields: { name: { type: 'string', id: 1 } } },
                        LocalVolumeSource: { fields: { path: { type: 'string', id: 1 }, fsType: { type: 'string', id: 2 } } },
                        ModifyVolumeStatus: { fields: { targetVolumeAttributesClassName: { type: 'string', id: 1 }, status: { type: 'string', id: 2 } } },
                        NFSVolumeSource: { fields: { server: { type: 'string', id: 1 }, path: { type: 'string', id: 2 }, readOnly: { type: 'bool', id: 3 } } },
                        Namespace: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.core.v1.NamespaceSpec', id: 2 },
                            status: { type: '.k8s.io.api.core.v1.NamespaceStatus', id: 3 },
                          },
                        },
                        NamespaceCondition: {
                          fields: {
                            type: { type: 'string', id: 1 },
                            status: { type: 'string', id: 2 },
                            lastTransitionTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 4 },
                            reason: { type: 'string', id: 5 },
                            message: { type: 'string', id: 6 },
                          },
                        },
                        NamespaceList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.core.v1.Namespace', id: 2, rule: 'repeated' },
                          },
                        },
                        NamespaceSpec: { fields: { finalizers: { type: 'string', id: 1, rule: 'repeated' } } },
                        NamespaceStatus: {
                          fields: { phase: { type: 'string', id: 1 }, conditions: { type: '.k8s.io.api.core.v1.NamespaceCondition', id: 2, rule: 'repeated' } },
                        },
                        Node: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.core.v1.NodeSpec', id: 2 },
                            status: { type: '.k8s.io.api.core.v1.NodeStatus', id: 3 },
                          },
                        },
                        NodeAddress: { fields: { type: { type: 'string', id: 1 }, address: { type: 'string', id: 2 } } },
                        NodeAffinity: {
                          fields: {
                            requiredDuringSchedulingIgnoredDuringExecution: { type: '.k8s.io.api.core.v1.NodeSelector', id: 1 },
                            preferredDuringSchedulingIgnoredDuringExecution: { type: '.k8s.io.api.core.v1.PreferredSchedulingTerm', id: 2, rule: 'repeated' },
                          },
                        },
                        NodeCondition: {
                          fields: {
                            type: { type: 'string', id: 1 },
                            status: { type: 'string', id: 2 },
                            lastHeartbeatTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 3 },
                            lastTransitionTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 4 },
                            reason: { type: 'string', id: 5 },
                            message: { type: 'string', id: 6 },
                          },
                        },
                        NodeConfigSource: { fields: { configMap: { type: '.k8s.io.api.core.v1.ConfigMapNodeConfigSource', id: 2 } } },
                        NodeConfigStatus: {
                          fields: {
                            assigned: { type: '.k8s.io.api.core.v1.NodeConfigSource', id: 1 },
                            active: { type: '.k8s.io.api.core.v1.NodeConfigSource', id: 2 },
                            lastKnownGood: { type: '.k8s.io.api.core.v1.NodeConfigSource', id: 3 },
                            error: { type: 'string', id: 4 },
                          },
                        },
                        NodeDaemonEndpoints: { fields: { kubeletEndpoint: { type: '.k8s.io.api.core.v1.DaemonEndpoint', id: 1 } } },
                        NodeFeatures: { fields: { supplementalGroupsPolicy: { type: 'bool', id: 1 } } },
                        NodeList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.core.v1.Node', id: 2, rule: 'repeated' },
                          },
                        },
                        NodeProxyOptions: { fields: { path: { type: 'string', id: 1 } } },
                        NodeRuntimeHandler: {
                          fields: { name: { type: 'string', id: 1 }, features: { type: '.k8s.io.api.core.v1.NodeRuntimeHandlerFeatures', id: 2 } },
                        },
                        NodeRuntimeHandlerFeatures: { fields: { recursiveReadOnlyMounts: { type: 'bool', id: 1 }, userNamespaces: { type: 'bool', id: 2 } } },
                        NodeSelector: { fields: { nodeSelectorTerms: { type: '.k8s.io.api.core.v1.NodeSelectorTerm', id: 1, rule: 'repeated' } } },
                        NodeSelectorRequirement: {
                          fields: { key: { type: 'string', id: 1 }, operator: { type: 'string', id: 2 }, values: { type: 'string', id: 3, rule: 'repeated' } },
                        },
                        NodeSelectorTerm: {
                          fields: {
                            matchExpressions: { type: '.k8s.io.api.core.v1.NodeSelectorRequirement', id: 1, rule: 'repeated' },
                            matchFields: { type: '.k8s.io.api.core.v1.NodeSelectorRequirement', id: 2, rule: 'repeated' },
                          },
                        },
                        NodeSpec: {
                          fields: {
                            podCIDR: { type: 'string', id: 1 },
                            podCIDRs: { type: 'string', id: 7, rule: 'repeated' },
                            providerID: { type: 'string', id: 3 },
                            unschedulable: { type: 'bool', id: 4 },
                            taints: { type: '.k8s.io.api.core.v1.Taint', id: 5, rule: 'repeated' },
                            configSource: { type: '.k8s.io.api.core.v1.NodeConfigSource', id: 6 },
                            externalID: { type: 'string', id: 2 },
                          },
                        },
                        NodeStatus: {
                          fields: {
                            capacity: { keyType: 'string', type: '.k8s.io.apimachinery.pkg.api.resource.Quantity', id: 1 },
                            allocatable: { keyType: 'string', type: '.k8s.io.apimachinery.pkg.api.resource.Quantity', id: 2 },
                            phase: { type: 'string', id: 3 },
                            conditions: { type: '.k8s.io.api.core.v1.NodeCondition', id: 4, rule: 'repeated' },
                            addresses: { type: '.k8s.io.api.core.v1.NodeAddress', id: 5, rule: 'repeated' },
                            daemonEndpoints: { type: '.k8s.io.api.core.v1.NodeDaemonEndpoints', id: 6 },
                            nodeInfo: { type: '.k8s.io.api.core.v1.NodeSystemInfo', id: 7 },
                            images: { type: '.k8s.io.api.core.v1.ContainerImage', id: 8, rule: 'repeated' },
                            volumesInUse: { type: 'string', id: 9, rule: 'repeated' },
                            volumesAttached: { type: '.k8s.io.api.core.v1.AttachedVolume', id: 10, rule: 'repeated' },
                            config: { type: '.k8s.io.api.core.v1.NodeConfigStatus', id: 11 },
                            runtimeHandlers: { type: '.k8s.io.api.core.v1.NodeRuntimeHandler', id: 12, rule: 'repeated' },
                            features: { type: '.k8s.io.api.core.v1.NodeFeatures', id: 13 },
                          },
                        },
                        NodeSwapStatus: { fields: { capacity: { type: 'int64', id: 1 } } },
                        NodeSystemInfo: {
                          fields: {
                            machineID: { type: 'string', id: 1 },
                            systemUUID: { type: 'string', id: 2 },
                            bootID: { type: 'string', id: 3 },
                            kernelVersion: { type: 'string', id: 4 },
                            osImage: { type: 'string', id: 5 },
                            containerRuntimeVersion: { type: 'string', id: 6 },
                            kubeletVersion: { type: 'string', id: 7 },
                            kubeProxyVersion: { type: 'string', id: 8 },
                            operatingSystem: { type: 'string', id: 9 },
                            architecture: { type: 'string', id: 10 },
                            swap: { type: '.k8s.io.api.core.v1.NodeSwapStatus', id: 11 },
                          },
                        },
                        ObjectFieldSelector: { fields: { apiVersion: { type: 'string', id: 1 }, fieldPath: { type: 'string', id: 2 } } },
                        ObjectReference: {
                          fields: {
                            kind: { type: 'string', id: 1 },
                            namespace: { type: 'string', id: 2 },
                            name: { type: 'string', id: 3 },
                            uid: { type: 'string', id: 4 },
                            apiVersion: { type: 'string', id: 5 },
                            resourceVersion: { type: 'string', id: 6 },
                            fieldPath: { type: 'string', id: 7 },
                          },
                        },
                        PersistentVolume: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.core.v1.PersistentVolumeSpec', id: 2 },
                            status: { type: '.k8s.io.api.core.v1.PersistentVolumeStatus', id: 3 },
                          },
                        },
                        PersistentVolumeClaim: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.core.v1.PersistentVolumeClaimSpec', id: 2 },
                            status: { type: '.k8s.io.api.core.v1.PersistentVolumeClaimStatus', id: 3 },
                          },
                        },
                        PersistentVolumeClaimCondition: {
                          fields: {
                            type: { type: 'string', id: 1 },
                            status: { type: 'string', id: 2 },
                            lastProbeTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 3 },
                            lastTransitionTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 4 },
                            reason: { type: 'string', id: 5 },
                            message: { type: 'string', id: 6 },
                          },
                        },
                        PersistentVolumeClaimList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.core.v1.PersistentVolumeClaim', id: 2, rule: 'repeated' },
                          },
                        },
                        PersistentVolumeClaimSpec: {
                          fields: {
                            accessModes: { type: 'string', id: 1, rule: 'repeated' },
                            selector: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector', id: 4 },
                            resources: { type: '.k8s.io.api.core.v1.VolumeResourceRequirements', id: 2 },
                            volumeName: { type: 'string', id: 3 },
                            storageClassName: { type: 'string', id: 5 },
                            volumeMode: { type: 'string', id: 6 },
                            dataSource: { type: '.k8s.io.api.core.v1.TypedLocalObjectReference', id: 7 },
                            dataSourceRef: { type: '.k8s.io.api.core.v1.TypedObjectReference', id: 8 },
                            volumeAttributesClassName: { type: 'string', id: 9 },
                          },
                        },
                        PersistentVolumeClaimStatus: {
                          fields: {
                            phase: { type: 'string', id: 1 },
                            accessModes: { type: 'string', id: 2, rule: 'repeated' },
                            capacity: { keyType: 'string', type: '.k8s.io.apimachinery.pkg.api.resource.Quantity', id: 3 },
                            conditions: { type: '.k8s.io.api.core.v1.PersistentVolumeClaimCondition', id: 4, rule: 'repeated' },
                            allocatedResources: { keyType: 'string', type: '.k8s.io.apimachinery.pkg.api.resource.Quantity', id: 5 },
                            allocatedResourceStatuses: { keyType: 'string', type: 'string', id: 7 },
                            currentVolumeAttributesClassName: { type: 'string', id: 8 },
                            modifyVolumeStatus: { type: '.k8s.io.api.core.v1.ModifyVolumeStatus', id: 9 },
                          },
                        },
                        PersistentVolumeClaimTemplate: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.core.v1.PersistentVolumeClaimSpec', id: 2 },
                          },
                        },
                        PersistentVolumeClaimVolumeSource: { fields: { claimName: { type: 'string', id: 1 }, readOnly: { type: 'bool', id: 2 } } },
                        PersistentVolumeList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.core.v1.PersistentVolume', id: 2, rule: 'repeated' },
                          },
                        },
                        PersistentVolumeSource: {
                          fields: {
                            gcePersistentDisk: { type: '.k8s.io.api.core.v1.GCEPersistentDiskVolumeSource', id: 1 },
                            awsElasticBlockStore: { type: '.k8s.io.api.core.v1.AWSElasticBlockStoreVolumeSource', id: 2 },
                            hostPath: { type: '.k8s.io.api.core.v1.HostPathVolumeSource', id: 3 },
                            glusterfs: { type: '.k8s.io.api.core.v1.GlusterfsPersistentVolumeSource', id: 4 },
                            nfs: { type: '.k8s.io.api.core.v1.NFSVolumeSource', id: 5 },
                            rbd: { type: '.k8s.io.api.core.v1.RBDPersistentVolumeSource', id: 6 },
                            iscsi: { type: '.k8s.io.api.core.v1.ISCSIPersistentVolumeSource', id: 7 },
                            cinder: { type: '.k8s.io.api.core.v1.CinderPersistentVolumeSource', id: 8 },
                            cephfs: { type: '.k8s.io.api.core.v1.CephFSPersistentVolumeSource', id: 9 },
                            fc: { type: '.k8s.io.api.core.v1.FCVolumeSource', id: 10 },
                            flocker: { type: '.k8s.io.api.core.v1.FlockerVolumeSource', id: 11 },
                            flexVolume: { type: '.k8s.io.api.core.v1.FlexPersistentVolumeSource', id: 12 },
                            azureFile: { type: '.k8s.io.api.core.v1.AzureFilePersistentVolumeSource', id: 13 },
                            vsphereVolume: { type: '.k8s.io.api.core.v1.VsphereVirtualDiskVolumeSource', id: 14 },
                            quobyte: { type: '.k8s.io.api.core.v1.QuobyteVolumeSource', id: 15 },
                            azureDisk: { type: '.k8s.io.api.core.v1.AzureDiskVolumeSource', id: 16 },
                            photonPersistentDisk: { type: '.k8s.io.api.core.v1.PhotonPersistentDiskVolumeSource', id: 17 },
                            portworxVolume: { type: '.k8s.io.api.core.v1.PortworxVolumeSource', id: 18 },
                            scaleIO: { type: '.k8s.io.api.core.v1.ScaleIOPersistentVolumeSource', id: 19 },
                            local: { type: '.k8s.io.api.core.v1.LocalVolumeSource', id: 20 },
                            storageos: { type: '.k8s.io.api.core.v1.StorageOSPersistentVolumeSource', id: 21 },
                            csi: { type: '.k8s.io.api.core.v1.CSIPersistentVolumeSource', id: 22 },
                          },
                        },
                        PersistentVolumeSpec: {
                          fields: {
                            capacity: { keyType: 'string', type: '.k8s.io.apimachinery.pkg.api.resource.Quantity', id: 1 },
                            persistentVolumeSource: { type: '.k8s.io.api.core.v1.PersistentVolumeSource', id: 2 },
                            accessModes: { type: 'string', id: 3, rule: 'repeated' },
                            claimRef: { type: '.k8s.io.api.core.v1.ObjectReference', id: 4 },
                            persistentVolumeReclaimPolicy: { type: 'string', id: 5 },
                            storageClassName: { type: 'string', id: 6 },
                            mountOptions: { type: 'string', id: 7, rule: 'repeated' },
                            volumeMode: { type: 'string', id: 8 },
                            nodeAffinity: { type: '.k8s.io.api.core.v1.VolumeNodeAffinity', id: 9 },
                            volumeAttributesClassName: { type: 'string', id: 10 },
                          },
                        },
                        PersistentVolumeStatus: {
                          fields: {
                            phase: { type: 'string', id: 1 },
                            message: { type: 'string', id: 2 },
                            reason: { type: 'string', id: 3 },
                            lastPhaseTransitionTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 4 },
                          },
                        },
                        PhotonPersistentDiskVolumeSource: { fields: { pdID: { type: 'string', id: 1 }, fsType: { type: 'string', id: 2 } } },
                        Pod: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.core.v1.PodSpec', id: 2 },
                            status: { type: '.k8s.io.api.core.v1.PodStatus', id: 3 },
                          },
                        },
                        PodAffinity: {
                          fields: {
                            requiredDuringSchedulingIgnoredDuringExecution: { type: '.k8s.io.api.core.v1.PodAffinityTerm', id: 1, rule: 'repeated' },
                            preferredDuringSchedulingIgnoredDuringExecution: { type: '.k8s.io.api.core.v1.WeightedPodAffinityTerm', id: 2, rule: 'repeated' },
                          },
                        },
                        PodAffinityTerm: {
                          fields: {
                            labelSelector: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector', id: 1 },
                            namespaces: { type: 'string', id: 2, rule: 'repeated' },
                            topologyKey: { type: 'string', id: 3 },
                            namespaceSelector: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector', id: 4 },
                            matchLabelKeys: { type: 'string', id: 5, rule: 'repeated' },
                            mismatchLabelKeys: { type: 'string', id: 6, rule: 'repeated' },
                          },
                        },
                        PodAntiAffinity: {
                          fields: {
                            requiredDuringSchedulingIgnoredDuringExecution: { type: '.k8s.io.api.core.v1.PodAffinityTerm', id: 1, rule: 'repeated' },
                            preferredDuringSchedulingIgnoredDuringExecution: { type: '.k8s.io.api.core.v1.WeightedPodAffinityTerm', id: 2, rule: 'repeated' },
                          },
                        },
                        PodAttachOptions: {
                          fields: {
                            stdin: { type: 'bool', id: 1 },
                            stdout: { type: 'bool', id: 2 },
                            stderr: { type: 'bool', id: 3 },
                            tty: { type: 'bool', id: 4 },
                            container: { type: 'string', id: 5 },
                          },
                        },
                        PodCondition: {
                          fields: {
                            type: { type: 'string', id: 1 },
                            observedGeneration: { type: 'int64', id: 7 },
                            status: { type: 'string', id: 2 },
                            lastProbeTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 3 },
                            lastTransitionTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 4 },
                            reason: { type: 'string', id: 5 },
                            message: { type: 'string', id: 6 },
                          },
                        },
                        PodDNSConfig: {
                          fields: {
                            nameservers: { type: 'string', id: 1, rule: 'repeated' },
                            searches: { type: 'string', id: 2, rule: 'repeated' },
                            options: { type: '.k8s.io.api.core.v1.PodDNSConfigOption', id: 3, rule: 'repeated' },
                          },
                        },
                        PodDNSConfigOption: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
                        PodExecOptions: {
                          fields: {
                            stdin: { type: 'bool', id: 1 },
                            stdout: { type: 'bool', id: 2 },
                            stderr: { type: 'bool', id: 3 },
                            tty: { type: 'bool', id: 4 },
                            container: { type: 'string', id: 5 },
                            command: { type: 'string', id: 6, rule: 'repeated' },
                          },
                        },
                        PodIP: { fields: { ip: { type: 'string', id: 1 } } },
                        PodList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.core.v1.Pod', id: 2, rule: 'repeated' },
                          },
                        },
                        PodLogOptions: {
                          fields: {
                            container: { type: 'string', id: 1 },
                            follow: { type: 'bool', id: 2 },
                            previous: { type: 'bool', id: 3 },
                            sinceSeconds: { type: 'int64', id: 4 },
                            sinceTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 5 },
                            timestamps: { type: 'bool', id: 6 },
                            tailLines: { type: 'int64', id: 7 },
                            limitBytes: { type: 'int64', id: 8 },
                            insecureSkipTLSVerifyBackend: { type: 'bool', id: 9 },
                            stream: { type: 'string', id: 10 },
                          },
                        },
                        PodOS: { fields: { name: { type: 'string', id: 1 } } },
                        PodPortForwardOptions: { fields: { ports: { type: 'int32', id: 1, rule: 'repeated' } } },
                        PodProxyOptions: { fields: { path: { type: 'string', id: 1 } } },
                        PodReadinessGate: { fields: { conditionType: { type: 'string', id: 1 } } },
                        PodResourceClaim: {
                          fields: {
                            name: { type: 'string', id: 1 },
                            resourceClaimName: { type: 'string', id: 3 },
                            resourceClaimTemplateName: { type: 'string', id: 4 },
                          },
                        },
                        PodResourceClaimStatus: { fields: { name: { type: 'string', id: 1 }, resourceClaimName: { type: 'string', id: 2 } } },
                        PodSchedulingGate: { fields: { name: { type: 'string', id: 1 } } },
                        PodSecurityContext: {
                          fields: {
                            seLinuxOptions: { type: '.k8s.io.api.core.v1.SELinuxOptions', id: 1 },
                            windowsOptions: { type: '.k8s.io.api.core.v1.WindowsSecurityContextOptions', id: 8 },
                            runAsUser: { type: 'int64', id: 2 },
                            runAsGroup: { type: 'int64', id: 6 },
                            runAsNonRoot: { type: 'bool', id: 3 },
                            supplementalGroups: { type: 'int64', id: 4, rule: 'repeated' },
                            supplementalGroupsPolicy: { type: 'string', id: 12 },
                            fsGroup: { type: 'int64', id: 5 },
                            sysctls: { type: '.k8s.io.api.core.v1.Sysctl', id: 7, rule: 'repeated' },
                            fsGroupChangePolicy: { type: 'string', id: 9 },
                            seccompProfile: { type: '.k8s.io.api.core.v1.SeccompProfile', id: 10 },
                            appArmorProfile: { type: '.k8s.io.api.core.v1.AppArmorProfile', id: 11 },
                            seLinuxChangePolicy: { type: 'string', id: 13 },
                          },
                        },
                        PodSignature: { fields: { podController: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.OwnerReference', id: 1 } } },
                        PodSpec: {
                          fields: {
                            volumes: { type: '.k8s.io.api.core.v1.Volume', id: 1, rule: 'repeated' },
                            initContainers: { type: '.k8s.io.api.core.v1.Container', id: 20, rule: 'repeated' },
                            containers: { type: '.k8s.io.api.core.v1.Container', id: 2, rule: 'repeated' },
                            ephemeralContainers: { type: '.k8s.io.api.core.v1.EphemeralContainer', id: 34, rule: 'repeated' },
                            restartPolicy: { type: 'string', id: 3 },
                            terminationGracePeriodSeconds: { type: 'int64', id: 4 },
                            activeDeadlineSeconds: { type: 'int64', id: 5 },
                            dnsPolicy: { type: 'string', id: 6 },
                            nodeSelector: { keyType: 'string', type: 'string', id: 7 },
                            serviceAccountName: { type: 'string', id: 8 },
                            serviceAccount: { type: 'string', id: 9 },
                            automountServiceAccountToken: { type: 'bool', id: 21 },
                            nodeName: { type: 'string', id: 10 },
                            hostNetwork: { type: 'bool', id: 11 },
                            hostPID: { type: 'bool', id: 12 },
                            hostIPC: { type: 'bool', id: 13 },
                            shareProcessNamespace: { type: 'bool', id: 27 },
                            securityContext: { type: '.k8s.io.api.core.v1.PodSecurityContext', id: 14 },
                            imagePullSecrets: { type: '.k8s.io.api.core.v1.LocalObjectReference', id: 15, rule: 'repeated' },
                            hostname: { type: 'string', id: 16 },
                            subdomain: { type: 'string', id: 17 },
                            affinity: { type: '.k8s.io.api.core.v1.Affinity', id: 18 },
                            schedulerName: { type: 'string', id: 19 },
                            tolerations: { type: '.k8s.io.api.core.v1.Toleration', id: 22, rule: 'repeated' },
                            hostAliases: { type: '.k8s.io.api.core.v1.HostAlias', id: 23, rule: 'repeated' },
                            priorityClassName: { type: 'string', id: 24 },
                            priority: { type: 'int32', id: 25 },
                            dnsConfig: { type: '.k8s.io.api.core.v1.PodDNSConfig', id: 26 },
                            readinessGates: { type: '.k8s.io.api.core.v1.PodReadinessGate', id: 28, rule: 'repeated' },
                            runtimeClassName: { type: 'string', id: 29 },
                            enableServiceLinks: { type: 'bool', id: 30 },
                            preemptionPolicy: { type: 'string', id: 31 },
                            overhead: { keyType: 'string', type: '.k8s.io.apimachinery.pkg.api.resource.Quantity', id: 32 },
                            topologySpreadConstraints: { type: '.k8s.io.api.core.v1.TopologySpreadConstraint', id: 33, rule: 'repeated' },
                            setHostnameAsFQDN: { type: 'bool', id: 35 },
                            os: { type: '.k8s.io.api.core.v1.PodOS', id: 36 },
                            hostUsers: { type: 'bool', id: 37 },
                            schedulingGates: { type: '.k8s.io.api.core.v1.PodSchedulingGate', id: 38, rule: 'repeated' },
                            resourceClaims: { type: '.k8s.io.api.core.v1.PodResourceClaim', id: 39, rule: 'repeated' },
                            resources: { type: '.k8s.io.api.core.v1.ResourceRequirements', id: 40 },
                          },
                        },
                        PodStatus: {
                          fields: {
                            observedGeneration: { type: 'int64', id: 17 },
                            phase: { type: 'string', id: 1 },
                            conditions: { type: '.k8s.io.api.core.v1.PodCondition', id: 2, rule: 'repeated' },
                            message: { type: 'string', id: 3 },
                            reason: { type: 'string', id: 4 },
                            nominatedNodeName: { type: 'string', id: 11 },
                            hostIP: { type: 'string', id: 5 },
                            hostIPs: { type: '.k8s.io.api.core.v1.HostIP', id: 16, rule: 'repeated' },
                            podIP: { type: 'string', id: 6 },
                            podIPs: { type: '.k8s.io.api.core.v1.PodIP', id: 12, rule: 'repeated' },
                            startTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 7 },
                            initContainerStatuses: { type: '.k8s.io.api.core.v1.ContainerStatus', id: 10, rule: 'repeated' },
                            containerStatuses: { type: '.k8s.io.api.core.v1.ContainerStatus', id: 8, rule: 'repeated' },
                            qosClass: { type: 'string', id: 9 },
                            ephemeralContainerStatuses: { type: '.k8s.io.api.core.v1.ContainerStatus', id: 13, rule: 'repeated' },
                            resize: { type: 'string', id: 14 },
                            resourceClaimStatuses: { type: '.k8s.io.api.core.v1.PodResourceClaimStatus', id: 15, rule: 'repeated' },
                          },
                        },
                        PodStatusResult: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            status: { type: '.k8s.io.api.core.v1.PodStatus', id: 2 },
                          },
                        },
                        PodTemplate: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            template: { type: '.k8s.io.api.core.v1.PodTemplateSpec', id: 2 },
                          },
                        },
                        PodTemplateList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.core.v1.PodTemplate', id: 2, rule: 'repeated' },
                          },
                        },
                        PodTemplateSpec: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.core.v1.PodSpec', id: 2 },
                          },
                        },
                        PortStatus: { fields: { port: { type: 'int32', id: 1 }, protocol: { type: 'string', id: 2 }, error: { type: 'string', id: 3 } } },
                        PortworxVolumeSource: {
                          fields: { volumeID: { type: 'string', id: 1 }, fsType: { type: 'string', id: 2 }, readOnly: { type: 'bool', id: 3 } },
                        },
                        Preconditions: { fields: { uid: { type: 'string', id: 1 } } },
                        PreferAvoidPodsEntry: {
                          fields: {
                            podSignature: { type: '.k8s.io.api.core.v1.PodSignature', id: 1 },
                            evictionTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 2 },
                            reason: { type: 'string', id: 3 },
                            message: { type: 'string', id: 4 },
                          },
                        },
                        PreferredSchedulingTerm: {
                          fields: { weight: { type: 'int32', id: 1 }, preference: { type: '.k8s.io.api.core.v1.NodeSelectorTerm', id: 2 } },
                        },
                        Probe: {
                          fields: {
                            handler: { type: '.k8s.io.api.core.v1.ProbeHandler', id: 1 },
                            initialDelaySeconds: { type: 'int32', id: 2 },
                            timeoutSeconds: { type: 'int32', id: 3 },
                            periodSeconds: { type: 'int32', id: 4 },
                            successThreshold: { type: 'int32', id: 5 },
                            failureThreshold: { type: 'int32', id: 6 },
                            terminationGracePeriodSeconds: { type: 'int64', id: 7 },
                          },
                        },
                        ProbeHandler: {
                          fields: {
                            exec: { type: '.k8s.io.api.core.v1.ExecAction', id: 1 },
                            httpGet: { type: '.k8s.io.api.core.v1.HTTPGetAction', id: 2 },
                            tcpSocket: { type: '.k8s.io.api.core.v1.TCPSocketAction', id: 3 },
                            grpc: { type: '.k8s.io.api.core.v1.GRPCAction', id: 4 },
                          },
                        },
                        ProjectedVolumeSource: {
                          fields: { sources: { type: '.k8s.io.api.core.v1.VolumeProjection', id: 1, rule: 'repeated' }, defaultMode: { type: 'int32', id: 2 } },
                        },
                        QuobyteVolumeSource: {
                          fields: {
                            registry: { type: 'string', id: 1 },
                            volume: { type: 'string', id: 2 },
                            readOnly: { type: 'bool', id: 3 },
                            user: { type: 'string', id: 4 },
                            group: { type: 'string', id: 5 },
                            tenant: { type: 'string', id: 6 },
                          },
                        },
                        RBDPersistentVolumeSource: {
                          fields: {
                            monitors: { type: 'string', id: 1, rule: 'repeated' },
                            image: { type: 'string', id: 2 },
                            fsType: { type: 'string', id: 3 },
                            pool: { type: 'string', id: 4 },
                            user: { type: 'string', id: 5 },
                            keyring: { type: 'string', id: 6 },
                            secretRef: { type: '.k8s.io.api.core.v1.SecretReference', id: 7 },
                            readOnly: { type: 'bool', id: 8 },
                          },
                        },
                        RBDVolumeSource: {
                          fields: {
                            monitors: { type: 'string', id: 1, rule: 'repeated' },
                            image: { type: 'string', id: 2 },
                            fsType: { type: 'string', id: 3 },
                            pool: { type: 'string', id: 4 },
                            user: { type: 'string', id: 5 },
                            keyring: { type: 'string', id: 6 },
                            secretRef: { type: '.k8s.io.api.core.v1.LocalObjectReference', id: 7 },
                            readOnly: { type: 'bool', id: 8 },
                          },
                        },
                        RangeAllocation: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            range: { type: 'string', id: 2 },
                            data: { type: 'bytes', id: 3 },
                          },
                        },
                        ReplicationController: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.core.v1.ReplicationControllerSpec', id: 2 },
                            status: { type: '.k8s.io.api.core.v1.ReplicationControllerStatus', id: 3 },
                          },
                        },
                        ReplicationControllerCondition: {
                          fields: {
                            type: { type: 'string', id: 1 },
                            status: { type: 'string', id: 2 },
                            lastTransitionTime: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 3 },
                            reason: { type: 'string', id: 4 },
                            message: { type: 'string', id: 5 },
                          },
                        },
                        ReplicationControllerList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.core.v1.ReplicationController', id: 2, rule: 'repeated' },
                          },
                        },
                        ReplicationControllerSpec: {
                          fields: {
                            replicas: { type: 'int32', id: 1 },
                            minReadySeconds: { type: 'int32', id: 4 },
                            selector: { keyType: 'string', type: 'string', id: 2 },
                            template: { type: '.k8s.io.api.core.v1.PodTemplateSpec', id: 3 },
                          },
                        },
                        ReplicationControllerStatus: {
                          fields: {
                            replicas: { type: 'int32', id: 1 },
                            fullyLabeledReplicas: { type: 'int32', id: 2 },
                            readyReplicas: { type: 'int32', id: 4 },
                            availableReplicas: { type: 'int32', id: 5 },
                            observedGeneration: { type: 'int64', id: 3 },
                            conditions: { type: '.k8s.io.api.core.v1.ReplicationControllerCondition', id: 6, rule: 'repeated' },
                          },
                        },
                        ResourceClaim: { fields: { name: { type: 'string', id: 1 }, request: { type: 'string', id: 2 } } },
                        ResourceFieldSelector: {
                          fields: {
                            containerName: { type: 'string', id: 1 },
                            resource: { type: 'string', id: 2 },
                            divisor: { type: '.k8s.io.apimachinery.pkg.api.resource.Quantity', id: 3 },
                          },
                        },
                        ResourceHealth: { fields: { resourceID: { type: 'string', id: 1 }, health: { type: 'string', id: 2 } } },
                        ResourceQuota: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.core.v1.ResourceQuotaSpec', id: 2 },
                            status: { type: '.k8s.io.api.core.v1.ResourceQuotaStatus', id: 3 },
                          },
                        },
                        ResourceQuotaList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.core.v1.ResourceQuota', id: 2, rule: 'repeated' },
                          },
                        },
                        ResourceQuotaSpec: {
                          fields: {
                            hard: { keyType: 'string', type: '.k8s.io.apimachinery.pkg.api.resource.Quantity', id: 1 },
                            scopes: { type: 'string', id: 2, rule: 'repeated' },
                            scopeSelector: { type: '.k8s.io.api.core.v1.ScopeSelector', id: 3 },
                          },
                        },
                        ResourceQuotaStatus: {
                          fields: {
                            hard: { keyType: 'string', type: '.k8s.io.apimachinery.pkg.api.resource.Quantity', id: 1 },
                            used: { keyType: 'string', type: '.k8s.io.apimachinery.pkg.api.resource.Quantity', id: 2 },
                          },
                        },
                        ResourceRequirements: {
                          fields: {
                            limits: { keyType: 'string', type: '.k8s.io.apimachinery.pkg.api.resource.Quantity', id: 1 },
                            requests: { keyType: 'string', type: '.k8s.io.apimachinery.pkg.api.resource.Quantity', id: 2 },
                            claims: { type: '.k8s.io.api.core.v1.ResourceClaim', id: 3, rule: 'repeated' },
                          },
                        },
                        ResourceStatus: {
                          fields: { name: { type: 'string', id: 1 }, resources: { type: '.k8s.io.api.core.v1.ResourceHealth', id: 2, rule: 'repeated' } },
                        },
                        SELinuxOptions: {
                          fields: {
                            user: { type: 'string', id: 1 },
                            role: { type: 'string', id: 2 },
                            type: { type: 'string', id: 3 },
                            level: { type: 'string', id: 4 },
                          },
                        },
                        ScaleIOPersistentVolumeSource: {
                          fields: {
                            gateway: { type: 'string', id: 1 },
                            system: { type: 'string', id: 2 },
                            secretRef: { type: '.k8s.io.api.core.v1.SecretReference', id: 3 },
                            sslEnabled: { type: 'bool', id: 4 },
                            protectionDomain: { type: 'string', id: 5 },
                            storagePool: { type: 'string', id: 6 },
                            storageMode: { type: 'string', id: 7 },
                            volumeName: { type: 'string', id: 8 },
                            fsType: { type: 'string', id: 9 },
                            readOnly: { type: 'bool', id: 10 },
                          },
                        },
                        ScaleIOVolumeSource: {
                          fields: {
                            gateway: { type: 'string', id: 1 },
                            system: { type: 'string', id: 2 },
                            secretRef: { type: '.k8s.io.api.core.v1.LocalObjectReference', id: 3 },
                            sslEnabled: { type: 'bool', id: 4 },
                            protectionDomain: { type: 'string', id: 5 },
                            storagePool: { type: 'string', id: 6 },
                            storageMode: { type: 'string', id: 7 },
                            volumeName: { type: 'string', id: 8 },
                            fsType: { type: 'string', id: 9 },
                            readOnly: { type: 'bool', id: 10 },
                          },
                        },
                        ScopeSelector: {
                          fields: { matchExpressions: { type: '.k8s.io.api.core.v1.ScopedResourceSelectorRequirement', id: 1, rule: 'repeated' } },
                        },
                        ScopedResourceSelectorRequirement: {
                          fields: {
                            scopeName: { type: 'string', id: 1 },
                            operator: { type: 'string', id: 2 },
                            values: { type: 'string', id: 3, rule: 'repeated' },
                          },
                        },
                        SeccompProfile: { fields: { type: { type: 'string', id: 1 }, localhostProfile: { type: 'string', id: 2 } } },
                        Secret: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            immutable: { type: 'bool', id: 5 },
                            data: { keyType: 'string', type: 'bytes', id: 2 },
                            stringData: { keyType: 'string', type: 'string', id: 4 },
                            type: { type: 'string', id: 3 },
                          },
                        },
                        SecretEnvSource: {
                          fields: { localObjectReference: { type: '.k8s.io.api.core.v1.LocalObjectReference', id: 1 }, optional: { type: 'bool', id: 2 } },
                        },
                        SecretKeySelector: {
                          fields: {
                            localObjectReference: { type: '.k8s.io.api.core.v1.LocalObjectReference', id: 1 },
                            key: { type: 'string', id: 2 },
                            optional: { type: 'bool', id: 3 },
                          },
                        },
                        SecretList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.core.v1.Secret', id: 2, rule: 'repeated' },
                          },
                        },
                        SecretProjection: {
                          fields: {
                            localObjectReference: { type: '.k8s.io.api.core.v1.LocalObjectReference', id: 1 },
                            items: { type: '.k8s.io.api.core.v1.KeyToPath', id: 2, rule: 'repeated' },
                            optional: { type: 'bool', id: 4 },
                          },
                        },
                        SecretReference: { fields: { name: { type: 'string', id: 1 }, namespace: { type: 'string', id: 2 } } },
                        SecretVolumeSource: {
                          fields: {
                            secretName: { type: 'string', id: 1 },
                            items: { type: '.k8s.io.api.core.v1.KeyToPath', id: 2, rule: 'repeated' },
                            defaultMode: { type: 'int32', id: 3 },
                            optional: { type: 'bool', id: 4 },
                          },
                        },
                        SecurityContext: {
                          fields: {
                            capabilities: { type: '.k8s.io.api.core.v1.Capabilities', id: 1 },
                            privileged: { type: 'bool', id: 2 },
                            seLinuxOptions: { type: '.k8s.io.api.core.v1.SELinuxOptions', id: 3 },
                            windowsOptions: { type: '.k8s.io.api.core.v1.WindowsSecurityContextOptions', id: 10 },
                            runAsUser: { type: 'int64', id: 4 },
                            runAsGroup: { type: 'int64', id: 8 },
                            runAsNonRoot: { type: 'bool', id: 5 },
                            readOnlyRootFilesystem: { type: 'bool', id: 6 },
                            allowPrivilegeEscalation: { type: 'bool', id: 7 },
                            procMount: { type: 'string', id: 9 },
                            seccompProfile: { type: '.k8s.io.api.core.v1.SeccompProfile', id: 11 },
                            appArmorProfile: { type: '.k8s.io.api.core.v1.AppArmorProfile', id: 12 },
                          },
                        },
                        SerializedReference: { fields: { reference: { type: '.k8s.io.api.core.v1.ObjectReference', id: 1 } } },
                        Service: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            spec: { type: '.k8s.io.api.core.v1.ServiceSpec', id: 2 },
                            status: { type: '.k8s.io.api.core.v1.ServiceStatus', id: 3 },
                          },
                        },
                        ServiceAccount: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', id: 1 },
                            secrets: { type: '.k8s.io.api.core.v1.ObjectReference', id: 2, rule: 'repeated' },
                            imagePullSecrets: { type: '.k8s.io.api.core.v1.LocalObjectReference', id: 3, rule: 'repeated' },
                            automountServiceAccountToken: { type: 'bool', id: 4 },
                          },
                        },
                        ServiceAccountList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.core.v1.ServiceAccount', id: 2, rule: 'repeated' },
                          },
                        },
                        ServiceAccountTokenProjection: {
                          fields: { audience: { type: 'string', id: 1 }, expirationSeconds: { type: 'int64', id: 2 }, path: { type: 'string', id: 3 } },
                        },
                        ServiceList: {
                          fields: {
                            metadata: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta', id: 1 },
                            items: { type: '.k8s.io.api.core.v1.Service', id: 2, rule: 'repeated' },
                          },
                        },
                        ServicePort: {
                          fields: {
                            name: { type: 'string', id: 1 },
                            protocol: { type: 'string', id: 2 },
                            appProtocol: { type: 'string', id: 6 },
                            port: { type: 'int32', id: 3 },
                            targetPort: { type: '.k8s.io.apimachinery.pkg.util.intstr.IntOrString', id: 4 },
                            nodePort: { type: 'int32', id: 5 },
                          },
                        },
                        ServiceProxyOptions: { fields: { path: { type: 'string', id: 1 } } },
                        ServiceSpec: {
                          fields: {
                            ports: { type: '.k8s.io.api.core.v1.ServicePort', id: 1, rule: 'repeated' },
                            selector: { keyType: 'string', type: 'string', id: 2 },
                            clusterIP: { type: 'string', id: 3 },
                            clusterIPs: { type: 'string', id: 18, rule: 'repeated' },
                            type: { type: 'string', id: 4 },
                            externalIPs: { type: 'string', id: 5, rule: 'repeated' },
                            sessionAffinity: { type: 'string', id: 7 },
                            loadBalancerIP: { type: 'string', id: 8 },
                            loadBalancerSourceRanges: { type: 'string', id: 9, rule: 'repeated' },
                            externalName: { type: 'string', id: 10 },
                            externalTrafficPolicy: { type: 'string', id: 11 },
                            healthCheckNodePort: { type: 'int32', id: 12 },
                            publishNotReadyAddresses: { type: 'bool', id: 13 },
                            sessionAffinityConfig: { type: '.k8s.io.api.core.v1.SessionAffinityConfig', id: 14 },
                            ipFamilies: { type: 'string', id: 19, rule: 'repeated' },
                            ipFamilyPolicy: { type: 'string', id: 17 },
                            allocateLoadBalancerNodePorts: { type: 'bool', id: 20 },
                            loadBalancerClass: { type: 'string', id: 21 },
                            internalTrafficPolicy: { type: 'string', id: 22 },
                            trafficDistribution: { type: 'string', id: 23 },
                          },
                        },
                        ServiceStatus: {
                          fields: {
                            loadBalancer: { type: '.k8s.io.api.core.v1.LoadBalancerStatus', id: 1 },
                            conditions: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Condition', id: 2, rule: 'repeated' },
                          },
                        },
                        SessionAffinityConfig: { fields: { clientIP: { type: '.k8s.io.api.core.v1.ClientIPConfig', id: 1 } } },
                        SleepAction: { fields: { seconds: { type: 'int64', id: 1 } } },
                        StorageOSPersistentVolumeSource: {
                          fields: {
                            volumeName: { type: 'string', id: 1 },
                            volumeNamespace: { type: 'string', id: 2 },
                            fsType: { type: 'string', id: 3 },
                            readOnly: { type: 'bool', id: 4 },
                            secretRef: { type: '.k8s.io.api.core.v1.ObjectReference', id: 5 },
                          },
                        },
                        StorageOSVolumeSource: {
                          fields: {
                            volumeName: { type: 'string', id: 1 },
                            volumeNamespace: { type: 'string', id: 2 },
                            fsType: { type: 'string', id: 3 },
                            readOnly: { type: 'bool', id: 4 },
                            secretRef: { type: '.k8s.io.api.core.v1.LocalObjectReference', id: 5 },
                          },
                        },
                        Sysctl: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
                        TCPSocketAction: {
                          fields: { port: { type: '.k8s.io.apimachinery.pkg.util.intstr.IntOrString', id: 1 }, host: { type: 'string', id: 2 } },
                        },
                        Taint: {
                          fields: {
                            key: { type: 'string', id: 1 },
                            value: { type: 'string', id: 2 },
                            effect: { type: 'string', id: 3 },
                            timeAdded: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time', id: 4 },
                          },
                        },
                        Toleration: {
                          fields: {
                            key: { type: 'string', id: 1 },
                            operator: { type: 'string', id: 2 },
                            value: { type: 'string', id: 3 },
                            effect: { type: 'string', id: 4 },
                            tolerationSeconds: { type: 'int64', id: 5 },
                          },
                        },
                        TopologySelectorLabelRequirement: { fields: { key: { type: 'string', id: 1 }, values: { type: 'string', id: 2, rule: 'repeated' } } },
                        TopologySelectorTerm: {
                          fields: { matchLabelExpressions: { type: '.k8s.io.api.core.v1.TopologySelectorLabelRequirement', id: 1, rule: 'repeated' } },
                        },
                        TopologySpreadConstraint: {
                          fields: {
                            maxSkew: { type: 'int32', id: 1 },
                            topologyKey: { type: 'string', id: 2 },
                            whenUnsatisfiable: { type: 'string', id: 3 },
                            labelSelector: { type: '.k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector', id: 4 },
                            minDomains: { type: 'int32', id: 5 },
                            nodeAffinityPolicy: { type: 'string', id: 6 },
                            nodeTaintsPolicy: { type: 'string', id: 7 },
                            matchLabelKeys: { type: 'string', id: 8, rule: 'repeated' },
                          },
                        },
                        TypedLocalObjectReference: {
                          fields: { apiGroup: { type: 'string', id: 1 }, kind: { type: 'string', id: 2 }, name: { type: 'string', id: 3 } },
                        },
                        TypedObjectReference: {
                          fields: {
                            apiGroup: { type: 'string', id: 1 },
                            kind: { type: 'string', id: 2 },
                            name: { type: 'string', id: 3 },
                            namespace: { type: 'string', id: 4 },
                          },
                        },
                        Volume: { fields: { name: { type: 'string', id: 1 }, volumeSource: { type: '.k8s.io.api.core.v1.VolumeSource', id: 2 } } },
                        VolumeDevice: { fields: { name: { type: 'string', id: 1 }, devicePath: { type: 'string', id: 2 } } },
                        VolumeMount: {
                          fields: {
                            name: { type: 'string', id: 1 },
                            readOnly: { type: 'bool', id: 2 },
                            recursiveReadOnly: { type: 'string', id: 7 },
                            mountPath: { type: 'string', id: 3 },
                            subPath: { type: 'string', id: 4 },
                            mountPropagation: { type: 'string', id: 5 },
                            subPathExpr: { type: 'string', id: 6 },
                          },
                        },
                        VolumeMountStatus: {
                          fields: {
                            name: { type: 'string', id: 1 },
                            mountPath: { type: 'string', id: 2 },
                            readOnly: { type: 'bool', id: 3 },
                            recursiveReadOnly: { type: 'string', id: 4 },
                          },
                        },
                        VolumeNodeAffinity: { fields: { required: { type: '.k8s.io.api.core.v1.NodeSelector', id: 1 } } },
                        VolumeProjection: {
                          fields: {
                            secret: { type: '.k8s.io.api.core.v1.SecretProjection', id: 1 },
                            downwardAPI: { type: '.k8s.io.api.core.v1.DownwardAPIProjection', id: 2 },
                            configMap: { type: '.k8s.io.api.core.v1.ConfigMapProjection', id: 3 },
                            serviceAccountToken: { type: '.k8s.io.api.core.v1.ServiceAccountTokenProjection', id: 4 },
                            clusterTrustBundle: { type: '.k8s.io.api.core.v1.ClusterTrustBundleProjection', id: 5 },
                          },
                        },
                        VolumeResourceRequirements: {
                          fields: {
                            limits: { keyType: 'string', type: '.k8s.io.apimachinery.pkg.api.resource.Quantity', id: 1 },
                            requests: { keyType: 'string', type: '.k8s.io.apimachinery.pkg.api.resource.Quantity', id: 2 },
                          },
                        },
                        VolumeSource: {
                          fields: {
                            hostPath: { type: '.k8s.io.api.core.v1.HostPathVolumeSource', id: 1 },
                            emptyDir: { type: '.k8s.io.api.core.v1.EmptyDirVolumeSource', id: 2 },
                            gcePersistentDisk: { type: '.k8s.io.api.core.v1.GCEPersistentDiskVolumeSource', id: 3 },
                            awsElasticBlockStore: { type: '.k8s.io.api.core.v1.AWSElasticBlockStoreVolumeSource', id: 4 },
                            gitRepo: { type: '.k8s.io.api.core.v1.GitRepoVolumeSource', id: 5 },
                            secret: { type: '.k8s.io.api.core.v1.SecretVolumeSource', id: 6 },
                            nfs: { type: '.k8s.io.api.core.v1.NFSVolumeSource', id: 7 },
                            iscsi: { type: '.k8s.io.api.core.v1.ISCSIVolumeSource', id: 8 },
                            glusterfs: { type: '.k8s.io.api.core.v1.GlusterfsVolumeSource', id: 9 },
                            persistentVolumeClaim: { type: '.k8s.io.api.core.v1.PersistentVolumeClaimVolumeSource', id: 10 },
                            rbd: { type: '.k8s.io.api.core.v1.RBDVolumeSource', id: 11 },
                            flexVolume: { type: '.k8s.io.api.core.v1.FlexVolumeSource', id: 12 },
                            cinder: { type: '.k8s.io.api.core.v1.CinderVolumeSource', id: 13 },
                            cephfs: { type: '.k8s.io.api.core.v1.CephFSVolumeSource', id: 14 },
                            flocker: { type: '.k8s.io.api.core.v1.FlockerVolumeSource', id: 15 },
                            downwardAPI: { type: '.k8s.io.api.core.v1.DownwardAPIVolumeSource', id: 16 },
                            fc: { type: '.k8s.io.api.core.v1.FCVolumeSource', id: 17 },
                            azureFile: { type: '.k8s.io.api.core.v1.AzureFileVolumeSource', id: 18 },
                            configMap: { type: '.k8s.io.api.core.v1.ConfigMapVolumeSource', id: 19 },
                            vsphereVolume: { type: '.k8s.io.api.core.v1.VsphereVirtualDiskVolumeSource', id: 20 },
                            quobyte: { type: '.k8s.io.api.core.v1.QuobyteVolumeSource', id: 21 },
                            azureDisk: { type: '.k8s.io.api.core.v1.AzureDiskVolumeSource', id: 22 },
                            photonPersistentDisk: { type: '.k8s.io.api.core.v1.PhotonPersistentDiskVolumeSource', id: 23 },
                            projected: { type: '.k8s.io.api.core.v1.ProjectedVolumeSource', id: 26 },
                            portworxVolume: { type: '.k8s.io.api.core.v1.PortworxVolumeSource', id: 24 },
                            scaleIO: { type: '.k8s.io.api.core.v1.ScaleIOVolumeSource', id: 25 },
                            storageos: { type: '.k8s.io.api.core.v1.StorageOSVolumeSource', id: 27 },
                            csi: { type: '.k8s.io.api.core.v1.CSIVolumeSource', id: 28 },
                            ephemeral: { type: '.k8s.io.api.core.v1.EphemeralVolumeSource', id: 29 },
                            image: { type: '.k8s.io.api.core.v1.ImageVolumeSource', id: 30 },
                          },
                        },
                        VsphereVirtualDiskVolumeSource: {
                          fields: {
                            volumePath: { type: 'string', id: 1 },
                            fsType: { type: 'string', id: 2 },
                            storagePolicyName: { type: 'string', id: 3 },
                            storagePolicyID: { type: 'string', id: 4 },
                          },
                        },
                        WeightedPodAffinityTerm: {
                          fields: { weight: { type: 'int32', id: 1 }, podAffinityTerm: { type: '.k8s.io.api.core.v1.PodAffinityTerm', id: 2 } },
                        },
                        WindowsSecurityContextOptions: {
                          fields: {
                            gmsaCredentialSpecName: { type: 'string', id: 1 },
                            gmsaCredentialSpec: { type: 'string', id: 2 },
                            runAsUserName: { type: 'string', id: 3 },
                            hostProcess: { type: 'bool', id: 4 },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};
