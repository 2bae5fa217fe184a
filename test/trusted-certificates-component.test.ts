import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as yaml from 'yaml';
import { AwsManagedImage, ImagePipeline, ImageRecipe, ParentImage, Platform, TrustedCertificatesComponent } from '../src';
import { expectValidTemplate } from './helpers/cfn-validate';
import { expectNoNagErrors } from './helpers/nag';

const FIXTURES = path.join(__dirname, 'fixtures', 'certificates');
const ROOT = path.join(FIXTURES, 'example-root-ca.pem');
const ISSUING = path.join(FIXTURES, 'example-issuing-ca.pem');

let stack: Stack;
let dir: string;

beforeEach(() => {
  stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certificates-'));
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The component's steps as the template holds them. */
function renderedSteps(): any[] {
  const component = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Component'))[0];
  return yaml.parse(component.Properties.Data).phases[0].steps;
}

function fixture(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const warnings = () => Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((w) => w.entry.data);

describe('TrustedCertificatesComponent', () => {
  test('on Linux, downloads each certificate and adds it with the trust store tool the distribution has', () => {
    new TrustedCertificatesComponent(stack, 'CorporateCa', { platform: Platform.LINUX, certificateFiles: [ROOT, ISSUING] });

    const [download, install] = renderedSteps();
    expect(download).toEqual({
      name: 'DownloadFiles',
      action: 'S3Download',
      inputs: [
        { source: expect.stringMatching(/^s3:\/\/.*\.pem$/), destination: '/tmp/cdk-imagebuilder-certificates/example-root-ca.crt', overwrite: true },
        { source: expect.stringMatching(/^s3:\/\/.*\.pem$/), destination: '/tmp/cdk-imagebuilder-certificates/example-issuing-ca.crt', overwrite: true },
      ],
    });
    expect(install.name).toBe('InstallCertificates');
    expect(install.action).toBe('ExecuteBash');
    const script = install.inputs.commands.join('\n');
    expect(script).toContain('update-ca-trust extract');
    expect(script).toContain('anchors=/usr/local/share/ca-certificates');
    expect(script).toContain('anchors=/etc/pki/trust/anchors');
    expect(install.inputs.commands.filter((c: string) => c.startsWith('cp '))).toEqual([
      "cp '/tmp/cdk-imagebuilder-certificates/example-root-ca.crt' \"$anchors/\"",
      "cp '/tmp/cdk-imagebuilder-certificates/example-issuing-ca.crt' \"$anchors/\"",
    ]);
    expect(spawnSync('bash', ['-n', '-c', script]).status).toBe(0);
    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Component', {
      Description: 'Trusts the CA certificates example-root-ca.crt, example-issuing-ca.crt',
    });
    expect(warnings()).toEqual([]);
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('the Linux script fails, saying why, on an instance with neither trust store tool', () => {
    new TrustedCertificatesComponent(stack, 'CorporateCa', { platform: Platform.LINUX, certificateFiles: [ROOT] });
    const script = renderedSteps()[1].inputs.commands.join('\n');

    const run = spawnSync('/bin/bash', ['-c', script], { env: { PATH: dir }, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 1,
      stderr: 'InstallCertificates: the instance has neither update-ca-trust nor update-ca-certificates (install ca-certificates first)\n',
    });
  });

  test('on Windows, a root CA goes to the root store and an issuing CA to the intermediate store', () => {
    new TrustedCertificatesComponent(stack, 'CorporateCa', { platform: Platform.WINDOWS, certificateFiles: [ROOT, ISSUING] });

    const [download, install] = renderedSteps();
    expect(download.inputs.map((d: any) => d.destination)).toEqual([
      'C:\\Windows\\Temp\\cdk-imagebuilder-certificates\\example-root-ca.crt',
      'C:\\Windows\\Temp\\cdk-imagebuilder-certificates\\example-issuing-ca.crt',
    ]);
    expect(install).toEqual({
      name: 'InstallCertificates',
      action: 'ExecutePowerShell',
      inputs: {
        commands: [
          "$ErrorActionPreference = 'Stop'",
          "Import-Certificate -FilePath 'C:\\Windows\\Temp\\cdk-imagebuilder-certificates\\example-root-ca.crt' -CertStoreLocation Cert:\\LocalMachine\\Root | Out-Null",
          "Import-Certificate -FilePath 'C:\\Windows\\Temp\\cdk-imagebuilder-certificates\\example-issuing-ca.crt' -CertStoreLocation Cert:\\LocalMachine\\CA | Out-Null",
          "Remove-Item -LiteralPath 'C:\\Windows\\Temp\\cdk-imagebuilder-certificates' -Recurse -Force",
        ],
      },
    });
  });

  test('on Windows, warns about an issuing CA whose issuer is not among the files, as the intermediate store trusts nothing by itself', () => {
    new TrustedCertificatesComponent(stack, 'CorporateCa', { platform: Platform.WINDOWS, certificateFiles: [ISSUING] });
    expect(warnings()).toEqual([expect.stringMatching(
      /^CorporateCa certificateFiles\[0\] '.*example-issuing-ca\.pem' \(CN=Example Issuing CA\) goes to the intermediate store on Windows, which trusts nothing by itself, and its issuer \(CN=Example Root CA\) is not among certificateFiles: give the root CA too, unless the image trusts it already \[ack: cdk-imagebuilder:issuingCaWithoutRoot\]$/)]);
  });

  test('uploads each certificate as plain PEM with LF line ends, whatever surrounds it in the file', () => {
    const pem = fs.readFileSync(ROOT, 'utf-8');
    const messy = fixture('messy-root.pem', `Bag Attributes\r\n    friendlyName: root\r\n${pem.replace(/\n/g, '\r\n')}trailing text\r\n`);
    const app = stack.node.root as App;
    new TrustedCertificatesComponent(stack, 'CorporateCa', { platform: Platform.LINUX, certificateFiles: [messy] });

    const assembly = app.synth();
    const uploaded = fs.readdirSync(assembly.directory).filter((f) => f.startsWith('asset.') && f.endsWith('.pem'));
    expect(uploaded.map((f) => fs.readFileSync(path.join(assembly.directory, f), 'utf-8'))).toEqual([pem]);
  });

  test('the build instances of a pipeline that runs it may download the certificates', () => {
    const component = new TrustedCertificatesComponent(stack, 'CorporateCa', { platform: Platform.LINUX, certificateFiles: [ROOT] });
    const imageRecipe = new ImageRecipe(stack, 'Recipe', {
      parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023), components: [{ component }],
    });
    new ImagePipeline(stack, 'Pipeline', { imageRecipe });

    const policies = Object.entries(Template.fromStack(stack).findResources('AWS::IAM::Policy')).filter(([id]) => id.includes('InstancePolicy'));
    expect(JSON.stringify(policies)).toMatch(/s3:GetObject.*[0-9a-f]{64}\.pem/);
  });

  test('warns about an expired certificate and one that is no CA, and installs them', () => {
    new TrustedCertificatesComponent(stack, 'CorporateCa', {
      platform: Platform.LINUX,
      certificateFiles: [path.join(FIXTURES, 'expired-root-ca.pem'), path.join(FIXTURES, 'server.pem')],
    });

    expect(warnings()).toEqual([
      expect.stringMatching(/^CorporateCa certificateFiles\[0\] '.*expired-root-ca\.pem' \(CN=Expired Root CA\) is valid from Jan {2}1 00:00:00 2020 GMT to Jan {2}1 00:00:00 2021 GMT only: it would be installed, but trusts nothing outside that time \[ack: cdk-imagebuilder:certificateValidity\]$/),
      expect.stringMatching(/^CorporateCa certificateFiles\[1\] '.*server\.pem' \(CN=build\.example\.com\) is no CA certificate: trusting it trusts that one certificate, not those it would sign \[ack: cdk-imagebuilder:notCaCertificate\]$/),
    ]);
    expect(renderedSteps()[0].inputs).toHaveLength(2);
  });

  test('fails on macOS, whose trust settings a script cannot change', () => {
    expect(() => new TrustedCertificatesComponent(stack, 'CorporateCa', { platform: Platform.MACOS, certificateFiles: [ROOT] }))
      .toThrow("CorporateCa platform must be Linux or Windows, got macOS: since macOS 11 a script, even run as root, cannot change the system's " +
        'certificate trust settings; trust the certificates with a configuration profile');
  });

  test('names a certificate by its position when its file name has no letter or digit to keep', () => {
    new TrustedCertificatesComponent(stack, 'CorporateCa', { platform: Platform.LINUX, certificateFiles: [fixture('зкорп.pem', fs.readFileSync(ROOT, 'utf-8'))] });
    expect(renderedSteps()[0].inputs[0].destination).toBe('/tmp/cdk-imagebuilder-certificates/certificate-0.crt');
  });

  test.each([
    ['no files', () => [], 'CorporateCa certificateFiles must list at least one certificate file, got none'],
    ['a missing file', () => [path.join(FIXTURES, 'missing.pem')], /^CorporateCa certificateFiles\[0\] file '.*missing\.pem' does not exist/],
    ['a bundle of two', () => [path.join(FIXTURES, 'bundle.pem')],
      /^CorporateCa certificateFiles\[0\] '.*bundle\.pem' must hold one PEM certificate \(-----BEGIN CERTIFICATE-----\), got 2: give each in a file of its own/],
    ['a DER file', () => [fixture('der.cer', '0\x82\x03\x00')],
      /^CorporateCa certificateFiles\[0\] '.*der\.cer' must hold one PEM certificate \(-----BEGIN CERTIFICATE-----\), got 0 \(a DER file converts with openssl/],
    ['a private key beside the certificate', () => [fixture('with-key.pem', `${fs.readFileSync(ROOT, 'utf-8')}-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n`)],
      /^CorporateCa certificateFiles\[0\] '.*with-key\.pem' holds a private key, which the component would upload and put on every instance/],
    ['a certificate that does not parse', () => [fixture('broken.pem', '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n')],
      /^CorporateCa certificateFiles\[0\] '.*broken\.pem' must be a PEM certificate, got one that does not parse: /],
    ['a file in OpenSSL\'s trusted certificate format', () => [fixture('trusted.pem', '-----BEGIN TRUSTED CERTIFICATE-----\nAAAA\n-----END TRUSTED CERTIFICATE-----\n')],
      /^CorporateCa certificateFiles\[0\] '.*trusted\.pem' must hold one PEM certificate \(-----BEGIN CERTIFICATE-----\), got 0, got OpenSSL's trusted certificate format/],
    ['a path known only at deployment', () => [new CfnParameter(stack, 'CertificatePath').valueAsString],
      'CorporateCa certificateFiles[0] must be a local path known at synth time, got a value known only at deployment'],
    ['two files of one name', () => [ROOT, fixture('example-root-ca.cer', fs.readFileSync(ROOT, 'utf-8'))],
      "CorporateCa certificateFiles are installed by file name, got two that would both be 'example-root-ca.crt': rename one"],
  ])('fails for %s', (_, files, message) => {
    expect(() => new TrustedCertificatesComponent(stack, 'CorporateCa', { platform: Platform.LINUX, certificateFiles: files() })).toThrow(message);
  });
});
