import { Fn, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/** Accounts, organizations and organizational units, as `shareWith` and launch permissions name them. */
export interface PolicyPrincipals {
  readonly accounts?: string[];
  readonly organizationArns?: string[];
  readonly organizationalUnitArns?: string[];
}

/**
 * Resource-policy statements that allow `actions` to the accounts, organizations and organizational
 * units given: one statement for the accounts, one per organization (`aws:PrincipalOrgID`) and one
 * for the units (`aws:PrincipalOrgPaths`). The organization statements name every principal (`*`)
 * and limit it with the condition. None when no principal is given.
 *
 * @param resources the resources, for policies that name them (a key policy's `*`)
 */
export function statementsAllowing(principals: PolicyPrincipals, actions: string[], resources?: string[]): iam.PolicyStatement[] {
  const statement = (props: { principals: iam.IPrincipal[]; conditions?: { [key: string]: unknown } }) =>
    new iam.PolicyStatement({ actions, resources, ...props });
  const statements: iam.PolicyStatement[] = [];
  const accounts = principals.accounts ?? [];
  if (accounts.length > 0) {
    statements.push(statement({ principals: accounts.map((account) => new iam.AccountPrincipal(account)) }));
  }
  for (const organizationArn of principals.organizationArns ?? []) {
    statements.push(statement({ principals: [new iam.OrganizationPrincipal(arnPart(organizationArn, 1))] }));
  }
  const unitPaths = (principals.organizationalUnitArns ?? []).map((arn) => `${arnPart(arn, 1)}/*/${arnPart(arn, 2)}/*`);
  if (unitPaths.length > 0) {
    statements.push(statement({
      principals: [new iam.AnyPrincipal()],
      conditions: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': unitPaths } },
    }));
  }
  return statements;
}

/**
 * Part `index` of an organization or unit ARN split at `/`: 1 is the organization ID, 2 the unit
 * ID (`arn:aws:organizations::111122223333:ou/o-abc/ou-ab12-cdef3456`).
 */
function arnPart(arn: string, index: number): string {
  return Token.isUnresolved(arn) ? Fn.select(index, Fn.split('/', arn)) : arn.split('/')[index];
}
