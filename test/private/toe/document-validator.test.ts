import { ComponentDocument, Platform } from '../../../src';

/**
 * Findings at places inside a step: the checks make these places for every step, and the label
 * and line of each are built only when a finding asks for them.
 */
describe('findings inside steps', () => {
  const text = [
    'schemaVersion: 1.0', // 1
    'phases:',
    '  - name: build',
    '    steps:',
    '      - name: Get', // 5
    '        action: S3Download',
    '        inputs:',
    '          - source: s3://bucket/a',
    '            destination: /tmp/a',
    '          - source: s3://bucket/b', // 10
    '            destination: /tmp/b',
    '            colour: blue',
    '      - name: Loop',
    '        action: ExecuteBash',
    '        loop:', // 15
    '          name: my.loop',
    '          forEach:',
    '            - a',
    '        if:',
    '          - stringEquals: x', // 20
    '            value: \'{{ Missing }}\'',
    '          - always',
    '        inputs:',
    '          commands:',
    '            - echo {{ loop.value }} {{ build.Get.outputs.stdout }}', // 25
    '      - action: ExecuteBash',
    '        onFailure: Skip',
    '        inputs:',
    '          commands:',
    '            - echo', // 30
    '',
  ].join('\n');

  test('name the step and the line of the key or item', () => {
    expect(ComponentDocument.fromYaml(text).validate({ platform: Platform.LINUX })).toEqual([
      {
        severity: 'error',
        line: 12,
        message: "phase 'build', step 'Get' (line 12): unknown input 'colour' of S3Download; its inputs are source, destination, expectedBucketOwner, overwrite",
      },
      {
        severity: 'warning',
        line: 16,
        message: "phase 'build', step 'Loop' (line 16): use letters, numbers, hyphens and underscores in loop names so that {{ <name>.value }} can refer to them, got 'my.loop'",
      },
      {
        severity: 'error',
        line: 22,
        message: "phase 'build', step 'Loop' (line 22): each item of an if list must be a map of a condition, got \"always\"",
      },
      {
        severity: 'warning',
        line: 24,
        message: "phase 'build', step 'Loop' (line 24): '{{ build.Get.outputs.stdout }}' refers to an output of S3Download, which documents no outputs",
      },
      {
        severity: 'error',
        line: 20,
        message: "phase 'build', step 'Loop' (line 20): '{{ Missing }}' is not a declared parameter or constant, a loop variable or an earlier step's output",
      },
      {
        severity: 'error',
        line: 26,
        message: "phase 'build', step 3 (line 26): name is required and must be a string, got nothing",
      },
      {
        severity: 'error',
        line: 27,
        message: "phase 'build', step 3 (line 27): onFailure must be one of Abort, Continue, Ignore, got 'Skip'",
      },
    ]);
  });

  test('have no line when the document has no text', () => {
    const findings = ComponentDocument.fromJsonObject(ComponentDocument.fromYaml(text).toJsonObject()).validate({ platform: Platform.LINUX });
    expect(findings.map((f) => f.line)).toEqual(findings.map(() => undefined));
    expect(findings.map((f) => f.message)).toContain(
      "phase 'build', step 'Get': unknown input 'colour' of S3Download; its inputs are source, destination, expectedBucketOwner, overwrite");
    expect(findings.map((f) => f.message)).toContain("phase 'build', step 3: name is required and must be a string, got nothing");
  });
});

describe('a duplicate step name', () => {
  const steps: Record<string, string[]> = {
    ExecuteBash: ['        action: ExecuteBash', '        inputs:', '          commands:', '            - echo'],
    Reboot: ['        action: Reboot'],
  };
  /** Two steps named `Twice`, then a step that reads the stdout of `Twice`. */
  const document = (firstAction: string, secondAction: string) => [
    'schemaVersion: 1.0',
    'phases:',
    '  - name: build',
    '    steps:',
    '      - name: Twice',
    ...steps[firstAction],
    '      - name: Twice',
    ...steps[secondAction],
    '      - name: Reader',
    '        action: ExecuteBash',
    '        inputs:',
    '          commands:',
    '            - echo "{{ build.Twice.outputs.stdout }}"',
    '',
  ].join('\n');
  const messages = (text: string) => ComponentDocument.fromYaml(text).validate({ platform: Platform.LINUX }).map((f) => f.message);
  const duplicate = (line: number) =>
    `phase 'build', step 'Twice' (line ${line}): duplicate step name 'Twice' in this phase; step names must be unique within a phase`;

  test('is an error on the later step, and references reach the first step (ExecuteBash, which has stdout)', () => {
    expect(messages(document('ExecuteBash', 'Reboot'))).toEqual([duplicate(10)]);
  });

  test('is an error on the later step, and references reach the first step (Reboot, which has no outputs)', () => {
    expect(messages(document('Reboot', 'ExecuteBash'))).toEqual([
      duplicate(7),
      "phase 'build', step 'Reader' (line 15): '{{ build.Twice.outputs.stdout }}' refers to an output of Reboot, which documents no outputs",
    ]);
  });
});

describe('a reference to an output with an index', () => {
  const document = (reference: string) => [
    'schemaVersion: 1.0',
    'phases:',
    '  - name: build',
    '    steps:',
    '      - name: Run',
    '        action: ExecuteBash',
    '        inputs:',
    '          commands:',
    '            - echo',
    '      - name: Reader',
    '        action: ExecuteBash',
    '        inputs:',
    '          commands:',
    `            - echo "{{ ${reference} }}"`,
    '',
  ].join('\n');
  const messages = (text: string) => ComponentDocument.fromYaml(text).validate({ platform: Platform.LINUX }).map((f) => f.message);

  test('reads the output name after the index', () => {
    expect(messages(document('build.Run.outputs[0].stdout'))).toEqual([]);
    expect(messages(document('build.Run.outputs[0].nope'))).toEqual([
      "phase 'build', step 'Reader' (line 13): '{{ build.Run.outputs[0].nope }}' refers to output 'nope' of ExecuteBash, whose outputs are stdout",
    ]);
  });
});
