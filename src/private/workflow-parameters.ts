import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { validationError } from './errors';
import { IWorkflow, Workflow } from '../workflow';

/**
 * Checks the parameters that a pipeline or image passes to a workflow against the parameters its
 * document declares: every name must be declared, and every parameter without a default must be
 * set. Does nothing when the document is not known at synth time (imports, AWS-managed workflows,
 * S3 documents).
 *
 * @param workflow the workflow the parameters are for
 * @param parameters the parameter values by name
 * @param scope the construct that passes the parameters, for errors
 * @param prop the prop that holds the parameters, for errors
 */
export function checkWorkflowParameters(
  workflow: IWorkflow, parameters: { readonly [name: string]: unknown }, scope: IConstruct, prop: string = 'parameters'): void {
  if (!Workflow.isWorkflow(workflow) || workflow.documentParameters === undefined) {
    return;
  }
  const declared = workflow.documentParameters;
  const declaredNames = declared.map((p) => `'${p.name}'`).join(', ') || 'none';
  for (const name of Object.keys(parameters)) {
    if (!Token.isUnresolved(name) && !declared.some((p) => p.name === name)) {
      throw validationError(
        `${prop} must be parameters that workflow '${workflow.node.path}' declares, got '${name}'; declared: ${declaredNames}`, scope);
    }
  }
  const missing = declared.filter((p) => !p.hasDefault && !isParameterGiven(parameters, p.name));
  if (missing.length > 0) {
    throw validationError(
      `${prop} must set every parameter of workflow '${workflow.node.path}' that has no default, ` +
      `missing ${missing.map((p) => `'${p.name}'`).join(', ')}`, scope);
  }
}

/** Whether `parameters` sets `name`: own keys only, so that a name like `toString` is not taken as given. */
export function isParameterGiven(parameters: { [name: string]: unknown }, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(parameters, name);
}
