// Public surface of the protobuf wire formats: request-body decoding (vnd.kubernetes.protobuf) and the
// gnostic OpenAPI v2 encoding.
export { decodeKubernetesProtobuf } from './decode.js';
export { PROTOBUF_MEDIA_TYPE, ENVELOPE_MAGIC, readEnvelope, writeEnvelope, type Envelope } from './envelope.js';
export { messageNameFor, messageTypeFor } from './kinds.js';
export { messageToJSON, goDuration } from './to_json.js';
export { OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_ACCEPT, encodeOpenAPIV2, decodeOpenAPIV2, gnosticDocument } from './openapi_v2.js';
