import { ComponentStep } from '../component-document';
import { Platform } from '../platform';

/** The step that adds the certificates to the instance's trust store. */
const INSTALL_CERTIFICATES_STEP = 'InstallCertificates';

/** Where the component downloads the certificates to, before it installs them. */
function certificateFolder(platform: Platform): string {
  return platform === Platform.WINDOWS ? 'C:\\Windows\\Temp\\cdk-imagebuilder-certificates' : '/tmp/cdk-imagebuilder-certificates';
}

/** Where the component downloads the certificate of `fileName` to. */
export function certificatePath(platform: Platform, fileName: string): string {
  return `${certificateFolder(platform)}${platform === Platform.WINDOWS ? '\\' : '/'}${fileName}`;
}

/** A certificate as the component installs it: its file name there, and whether it signs itself. */
export interface CertificateToInstall {
  readonly fileName: string;
  readonly selfSigned: boolean;
}

/**
 * The step that trusts the downloaded certificates system-wide, then deletes the download folder.
 * Linux distributions keep their trust store in different places, so the script asks the instance
 * which tool it has: `update-ca-trust` (Amazon Linux, RHEL, Fedora), else `update-ca-certificates`
 * with SUSE's anchors folder or Debian's and Ubuntu's, which reads `.crt` files only. Windows puts
 * a self-signed certificate in the root store and an issuing CA in the intermediate store.
 */
export function installCertificatesStep(platform: Platform, certificates: CertificateToInstall[]): ComponentStep {
  const folder = certificateFolder(platform);
  if (platform === Platform.WINDOWS) {
    return ComponentStep.executePowerShell(INSTALL_CERTIFICATES_STEP, {
      commands: [
        "$ErrorActionPreference = 'Stop'",
        ...certificates.map(({ fileName, selfSigned }) =>
          `Import-Certificate -FilePath '${certificatePath(platform, fileName)}' -CertStoreLocation Cert:\\LocalMachine\\${selfSigned ? 'Root' : 'CA'} | Out-Null`),
        `Remove-Item -LiteralPath '${folder}' -Recurse -Force`,
      ],
    });
  }
  return ComponentStep.executeBash(INSTALL_CERTIFICATES_STEP, {
    commands: [
      'set -euo pipefail',
      'if command -v update-ca-trust >/dev/null 2>&1; then anchors=/etc/pki/ca-trust/source/anchors; update() { update-ca-trust extract; }',
      'elif command -v update-ca-certificates >/dev/null 2>&1 && [ -d /etc/pki/trust/anchors ]; then anchors=/etc/pki/trust/anchors; update() { update-ca-certificates; }',
      'elif command -v update-ca-certificates >/dev/null 2>&1; then anchors=/usr/local/share/ca-certificates; update() { update-ca-certificates; }',
      `else echo "${INSTALL_CERTIFICATES_STEP}: the instance has neither update-ca-trust nor update-ca-certificates (install ca-certificates first)" >&2; exit 1`,
      'fi',
      'mkdir -p "$anchors"',
      ...certificates.map(({ fileName }) => `cp '${certificatePath(platform, fileName)}' "$anchors/"`),
      'update',
      `rm -rf '${folder}'`,
    ],
  });
}
