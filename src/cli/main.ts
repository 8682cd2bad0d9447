// The k8ts command line: `k8ts server`, `k8ts agent`, `k8ts controller-manager`, `k8ts scheduler`, `k8ts proxy`, `k8ts dns`, `k8ts token ...`, `k8ts image ...`; each subcommand lives in its own file.
import { Command } from 'commander';
import { registerServerCommand } from './server.js';
import { registerAgentCommand } from './agent.js';
import { registerImageCommands } from './image.js';
import { registerControllerManagerCommand } from './controller_manager.js';
import { registerSchedulerCommand } from './scheduler.js';
import { registerSecretsEncryptCommands } from './secrets_encrypt.js';
import { registerProxyCommand } from './proxy.js';
import { registerSimCommand } from './sim.js';
import { registerDNSCommand } from './dns.js';
import { registerTokenCommands } from './token.js';

const program = new Command();
program.name('k8ts').description("Kubernetes' Pod system in TypeScript").version('0.1.0');
registerServerCommand(program);
registerAgentCommand(program);
registerImageCommands(program);
registerControllerManagerCommand(program);
registerSchedulerCommand(program);
registerSecretsEncryptCommands(program);
registerProxyCommand(program);
registerSimCommand(program);
registerDNSCommand(program);
registerTokenCommands(program);
await program.parseAsync(process.argv);
