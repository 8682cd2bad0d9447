// gRPC probe handler (upstream pkg/probe/grpc): dials host:port without TLS within the timeout, calls
// grpc.health.v1.Health/Check{service}; SERVING = Success, anything else (or any error) = Failure.
import grpc from '@grpc/grpc-js';
import type { GRPCAction } from '../../api/core/v1/types.js';
import {
  decodeHealthCheckResponse,
  encodeHealthCheckRequest,
  HEALTH_CHECK_PATH,
  ServingStatus,
  servingStatusName,
  type HealthCheckRequest,
  type HealthCheckResponse,
} from './grpc_health.js';
import { joinHostPort } from './ports.js';
import { goQuote, goSeconds, majorMinor, type ProbeOutcome } from './types.js';

export interface GRPCProbeTarget {
  action: GRPCAction;
  podIP?: string;
  timeoutSec: number;
  kubeVersion?: string;
}

/** Go's codes.Code names, as status errors print them ("rpc error: code = NotFound desc = ..."). */
const codeNames = [
  'OK',
  'Canceled',
  'Unknown',
  'InvalidArgument',
  'DeadlineExceeded',
  'NotFound',
  'AlreadyExists',
  'PermissionDenied',
  'ResourceExhausted',
  'FailedPrecondition',
  'Aborted',
  'OutOfRange',
  'Unimplemented',
  'Internal',
  'Unavailable',
  'DataLoss',
  'Unauthenticated',
];

export function runGRPCProbe(t: GRPCProbeTarget): Promise<ProbeOutcome> {
  const host = t.podIP;
  if (!host) return Promise.resolve({ result: 'Unknown', output: 'pod has no IP address yet' });
  const addr = joinHostPort(host, t.action.port);
  const service = t.action.service ?? '';
  const timeout = goSeconds(t.timeoutSec);
  const deadline = Date.now() + t.timeoutSec * 1000;
  const client = new grpc.Client(addr, grpc.credentials.createInsecure(), {
    'grpc.primary_user_agent': `kube-probe/${majorMinor(t.kubeVersion)}`,
    'grpc.enable_retries': 0,
  });
  return new Promise<ProbeOutcome>((resolve) => {
    client.waitForReady(deadline, (err) => {
      if (err) {
        return resolve({ result: 'Failure', output: `timeout: failed to connect service ${goQuote(addr)} within ${timeout}: context deadline exceeded` });
      }
      client.makeUnaryRequest<HealthCheckRequest, HealthCheckResponse>(
        HEALTH_CHECK_PATH,
        encodeHealthCheckRequest,
        (b: Buffer) => decodeHealthCheckResponse(b),
        { service },
        new grpc.Metadata(),
        { deadline },
        (e, res) => {
          if (e) {
            const code = e.code ?? grpc.status.UNKNOWN;
            if (code === grpc.status.UNIMPLEMENTED) {
              return resolve({
                result: 'Failure',
                output: `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${e.details}`,
              });
            }
            if (code === grpc.status.DEADLINE_EXCEEDED) {
              return resolve({ result: 'Failure', output: `timeout: health rpc did not complete within ${timeout}` });
            }
            return resolve({ result: 'Failure', output: `error: health rpc probe failed: rpc error: code = ${codeNames[code] ?? code} desc = ${e.details}` });
          }
          const status = res?.status ?? ServingStatus.UNKNOWN;
          if (status !== ServingStatus.SERVING) {
            return resolve({ result: 'Failure', output: `service unhealthy (responded with ${goQuote(servingStatusName(status))})` });
          }
          resolve({ result: 'Success', output: 'service healthy' });
        },
      );
    });
  }).finally(() => client.close());
}
