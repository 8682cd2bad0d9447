// Schemas of io.k8s.api.core.v1.Container and what hangs off it: ports, env, resources, probes,
// lifecycle hooks, volume mounts, security context; plus ContainerStatus and its states.
import type { Definitions, Schema } from './types.js';
import { CORE, str, int32, int64, bool, ref, arr, strList, namedList, mapOf, obj, atomicObj, time, quantity, intOrString } from './build.js';

const PULL_POLICY = ['Always', 'IfNotPresent', 'Never'];

/** Fields shared by Container and EphemeralContainer. */
function containerProps(ephemeral: boolean): Record<string, Schema> {
  return {
    args: strList('Arguments to the entrypoint; the image CMD is used when empty. $(VAR) references to container env are expanded.'),
    command: strList('Entrypoint array, run without a shell; the image ENTRYPOINT is used when empty. $(VAR) references are expanded.'),
    env: namedList(CORE + 'EnvVar', 'Environment variables to set in the container.'),
    envFrom: arr(
      { $ref: CORE + 'EnvFromSource', default: {} },
      'Sources (ConfigMaps, Secrets) whose keys become environment variables; env entries win on conflicts.',
      {
        listType: 'atomic',
      },
    ),
    image: str('Container image reference, e.g. "busybox:1.36".'),
    imagePullPolicy: str('When to pull the image: Always, IfNotPresent or Never. Defaults to Always for :latest tags, IfNotPresent otherwise.', PULL_POLICY),
    lifecycle: ref(CORE + 'Lifecycle', 'Actions run by the kubelet right after start and right before stop.'),
    livenessProbe: ref(
      CORE + 'Probe',
      ephemeral ? 'Not allowed for ephemeral containers.' : 'Periodic check of container liveness; the container is restarted when it fails.',
    ),
    name: str('Name of the container, a DNS label unique within the pod. Cannot be updated.'),
    ports: ephemeral
      ? arr({ $ref: CORE + 'ContainerPort', default: {} }, 'Not allowed for ephemeral containers.', {
          mergeKey: 'containerPort',
          strategy: 'merge',
          listType: 'map',
          mapKeys: ['containerPort', 'protocol'],
        })
      : arr({ $ref: CORE + 'ContainerPort', default: {} }, 'Ports the container exposes; informational, any port the process listens on is reachable.', {
          mergeKey: 'containerPort',
          strategy: 'merge',
          listType: 'map',
          mapKeys: ['containerPort', 'protocol'],
        }),
    readinessProbe: ref(
      CORE + 'Probe',
      ephemeral ? 'Not allowed for ephemeral containers.' : 'Periodic check of readiness; a failing container is removed from service endpoints.',
    ),
    resizePolicy: arr({ $ref: CORE + 'ContainerResizePolicy', default: {} }, 'How each resource may be resized in place.', { listType: 'atomic' }),
    resources: ref(CORE + 'ResourceRequirements', 'Compute resources (cpu, memory, ...) the container requests and is limited to.'),
    restartPolicy: str('Per-container restart policy; only "Always" is allowed, for init containers that run as sidecars.'),
    securityContext: ref(CORE + 'SecurityContext', 'Security options for this container; they override the pod-level ones.'),
    startupProbe: ref(
      CORE + 'Probe',
      ephemeral ? 'Not allowed for ephemeral containers.' : 'Check that must succeed before liveness and readiness probes start.',
    ),
    stdin: bool('Allocate a stdin buffer for the container so it can be attached to.'),
    stdinOnce: bool('Close stdin after the first attached client disconnects.'),
    terminationMessagePath: str('File whose contents are reported as the termination message. Defaults to /dev/termination-log.'),
    terminationMessagePolicy: str('FallbackToLogsOnError uses the log tail when the message file is empty. Defaults to File.', [
      'FallbackToLogsOnError',
      'File',
    ]),
    tty: bool('Allocate a TTY for the container (needs stdin).'),
    volumeDevices: arr({ $ref: CORE + 'VolumeDevice', default: {} }, 'Block devices the container uses.', {
      mergeKey: 'devicePath',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['devicePath'],
    }),
    volumeMounts: arr({ $ref: CORE + 'VolumeMount', default: {} }, 'Pod volumes mounted into the container filesystem.', {
      mergeKey: 'mountPath',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['mountPath'],
    }),
    workingDir: str("Working directory of the process; the image's default when empty."),
  };
}

const handlerProps = (): Record<string, Schema> => ({
  exec: ref(CORE + 'ExecAction', 'Run a command inside the container.'),
  httpGet: ref(CORE + 'HTTPGetAction', 'Send an HTTP GET request.'),
  sleep: ref(CORE + 'SleepAction', 'Wait for a number of seconds.'),
  tcpSocket: ref(CORE + 'TCPSocketAction', 'Open a TCP connection (deprecated as a lifecycle handler, kept for compatibility).'),
});

export const containerDefinitions: Definitions = {
  [CORE + 'Container']: obj('One application container to run inside a pod.', containerProps(false), ['name']),
  [CORE + 'EphemeralContainer']: obj(
    'A temporary container added to a running pod, e.g. for debugging. It is never restarted and has no ports or probes.',
    {
      ...containerProps(true),
      targetContainerName: str('Name of the container whose namespaces (IPC, PID, ...) this container joins.'),
    },
    ['name'],
  ),
  [CORE + 'ContainerPort']: obj(
    'A network port of one container.',
    {
      containerPort: int32('Port number on the pod IP, 0 < x < 65536.'),
      hostIP: str('Host IP to bind the host port to.'),
      hostPort: int32('Port on the host to expose; most containers do not need this.'),
      name: str('IANA_SVC_NAME naming this port, unique in the pod; services can refer to it.'),
      protocol: { ...str('UDP, TCP or SCTP. Defaults to TCP.', ['SCTP', 'TCP', 'UDP']), default: 'TCP' },
    },
    ['containerPort'],
  ),
  [CORE + 'EnvVar']: obj(
    'One environment variable.',
    {
      name: str('Variable name.'),
      value: str('Literal value; $(VAR) references to earlier variables are expanded, $$ escapes. Defaults to "".'),
      valueFrom: ref(CORE + 'EnvVarSource', 'Take the value from a ConfigMap, Secret, pod field or resource; not allowed together with value.'),
    },
    ['name'],
  ),
  [CORE + 'EnvVarSource']: obj('Where an environment variable takes its value from.', {
    configMapKeyRef: ref(CORE + 'ConfigMapKeySelector', 'A key of a ConfigMap.'),
    fieldRef: ref(
      CORE + 'ObjectFieldSelector',
      'A field of the pod: metadata.name, metadata.namespace, metadata.labels[...], spec.nodeName, status.podIP, ...',
    ),
    resourceFieldRef: ref(CORE + 'ResourceFieldSelector', 'A resource request or limit of a container.'),
    secretKeyRef: ref(CORE + 'SecretKeySelector', 'A key of a Secret.'),
  }),
  [CORE + 'ConfigMapKeySelector']: atomicObj(
    'Selects one key of a ConfigMap.',
    {
      key: str('The key to select.'),
      name: str('Name of the ConfigMap.'),
      optional: bool('Whether the ConfigMap or key may be missing.'),
    },
    ['key'],
  ),
  [CORE + 'SecretKeySelector']: atomicObj(
    'Selects one key of a Secret.',
    {
      key: str('The key to select.'),
      name: str('Name of the Secret.'),
      optional: bool('Whether the Secret or key may be missing.'),
    },
    ['key'],
  ),
  [CORE + 'ObjectFieldSelector']: atomicObj(
    'Selects a field of the pod.',
    {
      apiVersion: str('Version of the schema the path is written in; defaults to "v1".'),
      fieldPath: str('Path of the field to select.'),
    },
    ['fieldPath'],
  ),
  [CORE + 'ResourceFieldSelector']: atomicObj(
    'Selects a container resource (limits.cpu, requests.memory, ...).',
    {
      containerName: str('Container name; required for volumes, optional for env.'),
      divisor: quantity('Unit the value is expressed in; defaults to "1".'),
      resource: str('The resource to select.'),
    },
    ['resource'],
  ),
  [CORE + 'EnvFromSource']: obj('A source of a set of environment variables.', {
    configMapRef: ref(CORE + 'ConfigMapEnvSource', 'The ConfigMap to take variables from.'),
    prefix: str('Prefix added to every key; must be a C identifier.'),
    secretRef: ref(CORE + 'SecretEnvSource', 'The Secret to take variables from.'),
  }),
  [CORE + 'ConfigMapEnvSource']: obj('Uses every key of a ConfigMap as an environment variable.', {
    name: str('Name of the ConfigMap.'),
    optional: bool('Whether the ConfigMap may be missing.'),
  }),
  [CORE + 'SecretEnvSource']: obj('Uses every key of a Secret as an environment variable.', {
    name: str('Name of the Secret.'),
    optional: bool('Whether the Secret may be missing.'),
  }),
  [CORE + 'ResourceRequirements']: obj('Compute resource requests and limits.', {
    claims: arr({ $ref: CORE + 'ResourceClaim', default: {} }, 'Names of pod resource claims this container uses.', {
      listType: 'map',
      mapKeys: ['name'],
    }),
    limits: mapOf(quantity(), 'Maximum amount of each resource the container may use.'),
    requests: mapOf(quantity(), 'Minimum amount of each resource the container needs; used for scheduling. Defaults to limits when omitted.'),
  }),
  [CORE + 'ResourceClaim']: obj(
    'Reference to one pod resource claim.',
    {
      name: str('Name of an entry in pod.spec.resourceClaims.'),
      request: str('A specific request inside the claim, if any.'),
    },
    ['name'],
  ),
  [CORE + 'ContainerResizePolicy']: obj(
    'How a resource of a running container may be resized.',
    {
      resourceName: str('cpu or memory.'),
      restartPolicy: str('NotRequired or RestartContainer.'),
    },
    ['resourceName', 'restartPolicy'],
  ),
  [CORE + 'VolumeMount']: obj(
    'Mounts a pod volume into a container.',
    {
      mountPath: str("Path inside the container where the volume appears; must not contain ':'."),
      mountPropagation: str('How mounts propagate between host and container: None, HostToContainer or Bidirectional.', [
        'Bidirectional',
        'HostToContainer',
        'None',
      ]),
      name: str('Name of the pod volume.'),
      readOnly: bool('Mount read-only. Defaults to false.'),
      recursiveReadOnly: str('Whether read-only mounts are read-only recursively: Disabled, IfPossible or Enabled.'),
      subPath: str('Path inside the volume to mount instead of its root.'),
      subPathExpr: str('Like subPath, with $(VAR) references expanded from the container env.'),
    },
    ['name', 'mountPath'],
  ),
  [CORE + 'VolumeDevice']: obj(
    'Maps a raw block volume into a container.',
    {
      devicePath: str('Path of the device inside the container.'),
      name: str('Name of a persistentVolumeClaim volume of the pod.'),
    },
    ['name', 'devicePath'],
  ),
  [CORE + 'Probe']: obj('A health check the kubelet runs against a container.', {
    ...handlerProps(),
    grpc: ref(CORE + 'GRPCAction', 'Call the gRPC health checking service.'),
    failureThreshold: int32('Consecutive failures after which the probe counts as failed. Defaults to 3, minimum 1.'),
    initialDelaySeconds: int32('Seconds after start before the first probe.'),
    periodSeconds: int32('Seconds between probes. Defaults to 10, minimum 1.'),
    successThreshold: int32('Consecutive successes after a failure for the probe to count as succeeded. Defaults to 1; must be 1 for liveness and startup.'),
    terminationGracePeriodSeconds: int64('Grace period for killing the container after a failed probe, overriding the pod value.'),
    timeoutSeconds: int32('Seconds after which a probe attempt times out. Defaults to 1, minimum 1.'),
  }),
  [CORE + 'ExecAction']: obj('Runs a command inside the container; exit status 0 means healthy.', {
    command: strList('Command line to run, without a shell; the working directory is the container root.'),
  }),
  [CORE + 'HTTPGetAction']: obj(
    'An HTTP GET request; a status from 200 to 399 means success.',
    {
      host: str('Host to connect to; defaults to the pod IP.'),
      httpHeaders: arr({ $ref: CORE + 'HTTPHeader', default: {} }, 'Extra request headers.', { listType: 'atomic' }),
      path: str('Path to request.'),
      port: intOrString('Port number or named container port to connect to.'),
      scheme: str('HTTP or HTTPS. Defaults to HTTP.', ['HTTP', 'HTTPS']),
    },
    ['port'],
  ),
  [CORE + 'HTTPHeader']: obj('One HTTP header.', { name: str('Header name.'), value: str('Header value.') }, ['name', 'value']),
  [CORE + 'TCPSocketAction']: obj(
    'Opens a TCP connection; success if it connects.',
    {
      host: str('Host to connect to; defaults to the pod IP.'),
      port: intOrString('Port number or named container port to connect to.'),
    },
    ['port'],
  ),
  [CORE + 'GRPCAction']: obj(
    'Calls the standard gRPC health service.',
    {
      port: int32('Port of the gRPC service.'),
      service: { ...str('Service name sent in the health check request; empty means the server as a whole.'), default: '' },
    },
    ['port'],
  ),
  [CORE + 'SleepAction']: obj('Sleeps for a while.', { seconds: int64('Seconds to sleep.') }, ['seconds']),
  [CORE + 'LifecycleHandler']: obj('An action run at a lifecycle point of a container; exactly one field is set.', handlerProps()),
  [CORE + 'Lifecycle']: obj('Hooks the kubelet runs when a container starts or stops.', {
    postStart: ref(CORE + 'LifecycleHandler', 'Runs right after the container is created; failing it kills the container.'),
    preStop: ref(CORE + 'LifecycleHandler', 'Runs right before the container is terminated; the grace period keeps counting while it runs.'),
    stopSignal: str('Signal used to stop the container; defaults to the image STOPSIGNAL or SIGTERM.'),
  }),
  [CORE + 'Capabilities']: obj('Linux capabilities to add and drop.', {
    add: strList('Capabilities to add.'),
    drop: strList('Capabilities to drop.'),
  }),
  [CORE + 'SELinuxOptions']: obj('SELinux labels for a container.', {
    level: str('SELinux level.'),
    role: str('SELinux role.'),
    type: str('SELinux type.'),
    user: str('SELinux user.'),
  }),
  [CORE + 'SeccompProfile']: obj(
    'A seccomp profile: RuntimeDefault, Unconfined or a Localhost file.',
    {
      localhostProfile: str('Profile file below the kubelet seccomp directory, for type Localhost.'),
      type: str('Localhost, RuntimeDefault or Unconfined.', ['Localhost', 'RuntimeDefault', 'Unconfined']),
    },
    ['type'],
  ),
  [CORE + 'AppArmorProfile']: obj(
    'An AppArmor profile.',
    {
      localhostProfile: str('Name of a profile loaded on the node, for type Localhost.'),
      type: str('Localhost, RuntimeDefault or Unconfined.', ['Localhost', 'RuntimeDefault', 'Unconfined']),
    },
    ['type'],
  ),
  [CORE + 'WindowsSecurityContextOptions']: obj('Windows-only options.', {
    gmsaCredentialSpec: str('GMSA credential spec contents.'),
    gmsaCredentialSpecName: str('Name of the GMSA credential spec.'),
    hostProcess: bool('Run as a host process container.'),
    runAsUserName: str('User name to run the entrypoint as.'),
  }),
  [CORE + 'SecurityContext']: obj('Security options for one container; they take precedence over the pod security context.', {
    allowPrivilegeEscalation: bool('Whether a process can gain more privileges than its parent (no_new_privs).'),
    appArmorProfile: ref(CORE + 'AppArmorProfile', 'AppArmor profile of the container.'),
    capabilities: ref(CORE + 'Capabilities', 'Capabilities to add to or drop from the runtime default set.'),
    privileged: bool('Run as privileged: equivalent to root on the host. Defaults to false.'),
    procMount: str('Default or Unmasked /proc mount.', ['Default', 'Unmasked']),
    readOnlyRootFilesystem: bool('Mount the root filesystem read-only. Defaults to false.'),
    runAsGroup: int64('GID the entrypoint runs as.'),
    runAsNonRoot: bool('Require the container to run as a non-zero UID; the kubelet refuses to start it otherwise.'),
    runAsUser: int64('UID the entrypoint runs as; defaults to the image user.'),
    seLinuxOptions: ref(CORE + 'SELinuxOptions', 'SELinux context of the container.'),
    seccompProfile: ref(CORE + 'SeccompProfile', 'Seccomp profile of the container.'),
    windowsOptions: ref(CORE + 'WindowsSecurityContextOptions', 'Windows-only settings.'),
  }),
  [CORE + 'ContainerStateWaiting']: obj('A container that is not running yet.', {
    message: str('Details of why the container is not running.'),
    reason: str('Brief reason, e.g. ContainerCreating, ImagePullBackOff, CrashLoopBackOff.'),
  }),
  [CORE + 'ContainerStateRunning']: obj('A running container.', { startedAt: time('When the container last (re)started.') }),
  [CORE + 'ContainerStateTerminated']: obj(
    'A container that has exited.',
    {
      containerID: str("Container ID as '<type>://<id>'."),
      exitCode: int32('Exit status of the last termination.'),
      finishedAt: time('When the container last exited.'),
      message: str('Message about the termination.'),
      reason: str('Brief reason, e.g. Completed, Error, OOMKilled.'),
      signal: int32('Signal of the last termination.'),
      startedAt: time('When the run that ended started.'),
    },
    ['exitCode'],
  ),
  [CORE + 'ContainerState']: obj('The state of a container; only one member is set. Defaults to waiting.', {
    running: ref(CORE + 'ContainerStateRunning', 'Details about a running container.'),
    terminated: ref(CORE + 'ContainerStateTerminated', 'Details about a terminated container.'),
    waiting: ref(CORE + 'ContainerStateWaiting', 'Details about a waiting container.'),
  }),
  [CORE + 'VolumeMountStatus']: obj(
    'Status of one volume mount.',
    {
      mountPath: str('Path of the mount.'),
      name: str('Name of the volume mount.'),
      readOnly: bool('Whether the mount is read-only.'),
      recursiveReadOnly: str('Effective recursive read-only mode.'),
    },
    ['name', 'mountPath'],
  ),
  [CORE + 'ContainerUser']: obj('Identity of the first process of a container.', {
    linux: ref(CORE + 'LinuxContainerUser', 'Linux identity.'),
  }),
  [CORE + 'LinuxContainerUser']: obj(
    'Linux UID/GIDs of the first process of a container.',
    {
      gid: int64('Primary GID.'),
      supplementalGroups: arr({ type: 'integer', format: 'int64', default: 0 }, 'Supplemental GIDs.', { listType: 'atomic' }),
      uid: int64('UID.'),
    },
    ['uid', 'gid'],
  ),
  [CORE + 'ResourceHealth']: obj(
    'Health of one device allocated to a container.',
    {
      health: str('Healthy, Unhealthy or Unknown.'),
      resourceID: str('Identifier of the device.'),
    },
    ['resourceID'],
  ),
  [CORE + 'ResourceStatus']: obj(
    'Health of the devices behind one resource.',
    {
      name: str('Name of the resource.'),
      resources: arr({ $ref: CORE + 'ResourceHealth', default: {} }, 'Per-device health.', { listType: 'map', mapKeys: ['resourceID'] }),
    },
    ['name'],
  ),
  [CORE + 'ContainerStatus']: obj(
    'Observed state of one container of a pod, maintained by the kubelet.',
    {
      allocatedResources: mapOf(quantity(), 'Resources the node allocated to the container.'),
      allocatedResourcesStatus: arr({ $ref: CORE + 'ResourceStatus', default: {} }, 'Health of allocated devices.', {
        mergeKey: 'name',
        strategy: 'merge',
        listType: 'map',
        mapKeys: ['name'],
      }),
      containerID: str("Container ID as '<type>://<id>'."),
      image: str('Image the container runs.'),
      imageID: str('Resolved image ID (digest).'),
      lastState: ref(CORE + 'ContainerState', "Details of the container's previous termination, if any."),
      name: str('Name of the container, as in the pod spec.'),
      ready: bool('Whether the container passes its readiness probe.'),
      resources: ref(CORE + 'ResourceRequirements', 'Resources the runtime applied to the running container.'),
      restartCount: int32('How many times the container was restarted.'),
      started: bool('Whether the container has passed its startup probe (true when there is none and it is running).'),
      state: ref(CORE + 'ContainerState', 'Current state of the container.'),
      stopSignal: str('Signal that will be used to stop the container.'),
      user: ref(CORE + 'ContainerUser', 'Identity the container process runs as.'),
      volumeMounts: arr({ $ref: CORE + 'VolumeMountStatus', default: {} }, 'Status of the volume mounts.', {
        mergeKey: 'mountPath',
        strategy: 'merge',
        listType: 'map',
        mapKeys: ['mountPath'],
      }),
    },
    ['name', 'ready', 'restartCount', 'image', 'imageID'],
  ),
};
