import { ComponentStep } from '../component-document';
import { Platform } from '../platform';

/** The step that unpacks the folders among a component's `files`, right after their download. */
export const UNPACK_FOLDERS_STEP = 'UnpackFolders';

/** A folder of `files`: the zip archive it is downloaded as, and the folder it is unpacked into. */
export interface FolderDownload {
  readonly archive: string;
  readonly folder: string;
}

/**
 * Where a folder's zip archive is downloaded to: beside the folder, so that it lands on the same
 * file system and needs no temporary path, which differs between platforms.
 */
export function archivePathOf(destination: string): string {
  return `${folderPathOf(destination)}.zip`;
}

/** Whether a destination names a root (`/`, `C:\`), which a folder cannot be unpacked into beside its archive. */
export function namesRoot(destination: string): boolean {
  const folder = folderPathOf(destination);
  return folder === '' || /^[A-Za-z]:$/.test(folder);
}

/** The folder a destination names, without trailing separators. */
function folderPathOf(destination: string): string {
  return destination.replace(/[\\/]+$/, '');
}

/**
 * A step that unpacks each archive into its folder and deletes the archive. AWSTOE has no action
 * that unpacks archives, so it runs the platform's shell: PowerShell's Expand-Archive on Windows;
 * elsewhere unzip, which keeps file modes, or Python 3's zipfile where a minimal image lacks unzip.
 */
export function unpackFoldersStep(platform: Platform, folders: FolderDownload[]): ComponentStep {
  if (platform === Platform.WINDOWS) {
    return ComponentStep.executePowerShell(UNPACK_FOLDERS_STEP, {
      commands: [
        "$ErrorActionPreference = 'Stop'",
        ...folders.flatMap(({ archive, folder }) => [
          `Expand-Archive -LiteralPath ${powerShellQuoted(archive)} -DestinationPath ${powerShellQuoted(folder)} -Force`,
          `Remove-Item -LiteralPath ${powerShellQuoted(archive)} -Force`,
        ]),
      ],
    });
  }
  return ComponentStep.executeBash(UNPACK_FOLDERS_STEP, {
    commands: [
      'set -euo pipefail',
      'unpack() {',
      '  mkdir -p "$2"',
      '  if command -v unzip >/dev/null 2>&1; then unzip -o -q "$1" -d "$2"',
      '  elif command -v python3 >/dev/null 2>&1; then python3 -m zipfile -e "$1" "$2"',
      `  else echo "${UNPACK_FOLDERS_STEP}: unpacking $1 needs unzip or python3 on the instance" >&2; exit 1`,
      '  fi',
      '  rm -f "$1"',
      '}',
      ...folders.map(({ archive, folder }) => `unpack ${shellQuoted(archive)} ${shellQuoted(folder)}`),
    ],
  });
}

/** A single-quoted Bash word: a quote inside closes the quoting, adds an escaped quote and reopens it. */
function shellQuoted(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/** A single-quoted PowerShell string, in which a quote is written twice. */
function powerShellQuoted(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
