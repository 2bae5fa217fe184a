import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { InfrastructureConfiguration } from '../src/infrastructure-configuration';
import { expectValidTemplate } from './helpers/cfn-validate';
import { expectNoNagErrors } from './helpers/nag';

test('scratch', () => {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
  const infra = new InfrastructureConfiguration(stack, 'Infra', { logBucket: s3.Bucket.fromBucketName(stack, 'B', 'my-logs'), logPrefix: 'builds/' });
  infra.allowContainerBuilds(ecr.Repository.fromRepositoryName(stack, 'R', 'repo'));
  infra.allowContainerBuilds();
  console.log(JSON.stringify(Template.fromStack(stack).toJSON(), undefined, 1));
  let err;
  try { expectNoNagErrors(app); } catch (e) { err = e; }
  console.log(String(err));
  expectValidTemplate(stack);
});
