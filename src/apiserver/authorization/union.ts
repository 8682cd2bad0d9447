// The union of authorizers (upstream's union.New, --authorization-mode=Node,RBAC): the first Allow or Deny
// wins; when all have no opinion the reasons they gave are joined, and the request is refused with them.
import type { AuthorizationAttributes, Authorizer, Decision, RulesInfo } from '../filters/authorization.js';
import type { UserInfo } from '../filters/user.js';

export class UnionAuthorizer implements Authorizer {
  constructor(private readonly authorizers: Authorizer[]) {}

  async authorize(a: AuthorizationAttributes): Promise<{ decision: Decision; reason?: string }> {
    const reasons: string[] = [];
    for (const z of this.authorizers) {
      const { decision, reason } = await z.authorize(a);
      if (decision !== 'NoOpinion') return { decision, reason };
      if (reason) reasons.push(reason);
    }
    return { decision: 'NoOpinion', reason: reasons.join('\n') };
  }

  rulesFor(user: UserInfo, namespace: string): RulesInfo {
    const out: RulesInfo = { resourceRules: [], nonResourceRules: [], incomplete: false };
    const errors: string[] = [];
    for (const z of this.authorizers) {
      if (!z.rulesFor) {
        out.incomplete = true;
        continue;
      }
      const r = z.rulesFor(user, namespace);
      out.resourceRules.push(...r.resourceRules);
      out.nonResourceRules.push(...r.nonResourceRules);
      if (r.incomplete) out.incomplete = true;
      if (r.evaluationError) errors.push(r.evaluationError);
    }
    if (errors.length) out.evaluationError = errors.join(', ');
    return out;
  }
}
