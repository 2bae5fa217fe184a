import { IConstruct } from 'constructs';
import { validationError } from './errors';
import { validateAccountId, validateOrganizationalUnitArn, validateOrganizationArn } from './validation';
import { ShareWithOptions } from '../sharing';

/** `shareWith` as the sharing APIs take it: valid principals, and at least one. */
export function validateShareWith(scope: IConstruct, options: ShareWithOptions): void {
  const accounts = options.accounts ?? [];
  const organizations = options.organizationArns ?? [];
  const units = options.organizationalUnitArns ?? [];
  accounts.forEach((a) => validateAccountId(scope, 'shareWith accounts', a));
  organizations.forEach((o) => validateOrganizationArn(scope, 'shareWith organizationArns', o));
  units.forEach((u) => validateOrganizationalUnitArn(scope, 'shareWith organizationalUnitArns', u));
  if (accounts.length + organizations.length + units.length === 0) {
    throw validationError('shareWith needs at least one of accounts, organizationArns or organizationalUnitArns, got none', scope);
  }
}
