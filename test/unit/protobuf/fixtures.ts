// Request bodies captured from the real kubectl 1.33 `create` generators (Content-Type
// application/vnd.kubernetes.protobuf), base64-encoded: what our decoder must read.

export const kubectl133 = {
  // /apis/apps/v1/namespaces/default/deployments
  deployment:
    'azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50ErQBCh0KAmQxEgAaACIAKgAyADgAQgBaCQoDYXBwEgJkMRKEAQgAEgsKCQoDYXBwEgJkMRprChsKABIAGgAiACoAMgA4AEIAWgkKA2FwcBICZDESTBIuCgVuZ2lueBIFbmdpbngqADIKCgAQABhQIgAqAEIAagByAIABAIgBAJABAKIBABoAMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAiAgoAKAA4ABoMCAAQABgAIAAoADgAGgAiAA==',
  // /apis/batch/v1/namespaces/default/jobs
  job: 'azhzAAoPCghiYXRjaC92MRIDSm9iEoQBChIKAmoxEgAaACIAKgAyADgAQgASZDJiChAKABIAGgAiACoAMgA4AEIAEk4SKwoCajESB2J1c3lib3gaBGVjaG8aAmhpKgBCAGoAcgCAAQCIAQCQAQCiAQAaBU5ldmVyMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAaCCAAKAAwADoAGgAiAA==',
  // /apis/batch/v1/namespaces/default/cronjobs
  cronJob:
    'azhzAAoTCghiYXRjaC92MRIHQ3JvbkpvYhKnAQoTCgNjajESABoAIgAqADIAOABCABKNAQoLKi81ICogKiAqICoaACp8ChMKA2NqMRIAGgAiACoAMgA4AEIAEmUyYwoQCgASABoAIgAqADIAOABCABJPEigKA2NqMRIHYnVzeWJveBoEZGF0ZSoAQgBqAHIAgAEAiAEAkAEAogEAGglPbkZhaWx1cmUyAEIASgBSAFgAYABoAIIBAIoBAJoBAMIBABoAGgAiAA==',
  // /api/v1/namespaces/default/services
  service:
    'azhzAAoNCgJ2MRIHU2VydmljZRJsCiEKBHN2YzESABoAIgAqADIAOABCAFoLCgNhcHASBHN2YzESQwobCgc4MC04MDgwEgNUQ1AYUCIHCAAQkD8aACgAEgsKA2FwcBIEc3ZjMRoAIglDbHVzdGVySVA6AEIAUgBaAGAAaAAaAgoAGgAiAA==',
  // /api/v1/namespaces/default/secrets
  secret: 'azhzAAoMCgJ2MRIGU2VjcmV0EiIKEgoCczISABoAIgAqADIAOABCABIKCgNiaW4SAwAB/xoAGgAiAA==',
  // /api/v1/namespaces/default/configmaps
  configMap: 'azhzAAoPCgJ2MRIJQ29uZmlnTWFwEh0KEwoDY20zEgAaACIAKgAyADgAQgASBgoBaxIBdhoAIgA=',
};
