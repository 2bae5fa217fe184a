import * as path from 'path';
import * as ts from 'typescript';

/**
 * The public API is documented where API.md and the Python docstrings come from: every exported
 * type, every property of an exported interface and every public member of an exported class has a
 * doc comment, and every optional property of a props struct says what happens without it
 * (`@default`).
 */

const LIBRARY_ENTRY = path.join(__dirname, '..', 'src', 'index.ts');

interface Gap {
  readonly where: string;
  readonly what: string;
}

/** Resource interfaces (`IComponent`) hold attributes, not props: an absent one has no default to name. */
function isResourceInterface(name: string): boolean {
  return /^I[A-Z]/.test(name);
}

function isPublicMember(member: ts.ClassElement): boolean {
  const modifiers = ts.canHaveModifiers(member) ? ts.getModifiers(member) ?? [] : [];
  const name = member.name && ts.isIdentifier(member.name) ? member.name.text : '';
  return !name.startsWith('_') && !modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword)
    && !(member.name && ts.isPrivateIdentifier(member.name));
}

function hasDocComment(node: ts.Node): boolean {
  return ts.getJSDocCommentsAndTags(node).some(ts.isJSDoc);
}

function hasTag(node: ts.Node, tag: string): boolean {
  return ts.getJSDocTags(node).some((t) => t.tagName.text === tag);
}

/** The documentation gaps of the declarations `src/index.ts` exports. */
function documentationGaps(): { gaps: Gap[]; declarationsChecked: number } {
  const program = ts.createProgram([LIBRARY_ENTRY], { strict: true, target: ts.ScriptTarget.ES2022 });
  const checker = program.getTypeChecker();
  const entry = program.getSourceFile(LIBRARY_ENTRY)!;
  const gaps: Gap[] = [];
  let declarationsChecked = 0;
  const where = (node: ts.Node) => {
    const file = node.getSourceFile();
    return `${path.relative(path.join(__dirname, '..'), file.fileName)}:${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`;
  };
  const gap = (node: ts.Node, what: string) => gaps.push({ where: where(node), what });

  for (const exported of checker.getExportsOfModule(checker.getSymbolAtLocation(entry)!)) {
    // `export * from` gives the declarations' own symbols; `export { X } from` gives aliases of them.
    const symbol = exported.declarations?.some(ts.isExportSpecifier) ? checker.getAliasedSymbol(exported) : exported;
    for (const declaration of symbol.declarations ?? []) {
      const name = symbol.name;
      declarationsChecked++;
      if (!hasDocComment(declaration)) {
        gap(declaration, `${name} has no doc comment`);
      }
      if (ts.isInterfaceDeclaration(declaration)) {
        for (const member of declaration.members) {
          const memberName = `${name}.${member.name?.getText(member.getSourceFile())}`;
          if (!hasDocComment(member)) {
            gap(member, `${memberName} has no doc comment`);
          } else if (ts.isPropertySignature(member) && member.questionToken && !isResourceInterface(name) && !hasTag(member, 'default')) {
            gap(member, `${memberName} is optional but has no @default`);
          }
        }
      }
      if (ts.isClassDeclaration(declaration)) {
        for (const member of declaration.members.filter(isPublicMember)) {
          if (ts.isConstructorDeclaration(member) || ts.isClassStaticBlockDeclaration(member)) {
            continue;
          }
          if (!hasDocComment(member) && !isImplementationOfDocumentedMember(checker, declaration, member)) {
            gap(member, `${name}.${member.name?.getText(member.getSourceFile())} has no doc comment`);
          }
        }
      }
    }
  }
  return { gaps, declarationsChecked };
}

/**
 * A member that implements or overrides one documented in an interface or base class, at any depth:
 * jsii and API.md take the documentation from there.
 */
function isImplementationOfDocumentedMember(
  checker: ts.TypeChecker, declaration: ts.ClassLikeDeclaration | ts.InterfaceDeclaration, member: ts.ClassElement | ts.TypeElement,
  seen = new Set<ts.Node>(),
): boolean {
  const memberName = member.name && ts.isIdentifier(member.name) ? member.name.text : undefined;
  if (!memberName || seen.has(declaration)) {
    return false;
  }
  seen.add(declaration);
  const supertypeDeclarations = (declaration.heritageClauses ?? [])
    .flatMap((clause) => clause.types)
    .flatMap((type) => checker.getTypeAtLocation(type).getSymbol()?.declarations ?? [])
    .filter((d): d is ts.ClassDeclaration | ts.InterfaceDeclaration => ts.isClassDeclaration(d) || ts.isInterfaceDeclaration(d));
  return supertypeDeclarations.some((supertype) => {
    const members: ReadonlyArray<ts.ClassElement | ts.TypeElement> = supertype.members;
    const inherited = members.find((m) => m.name && ts.isIdentifier(m.name) && m.name.text === memberName);
    return (inherited && hasDocComment(inherited)) || isImplementationOfDocumentedMember(checker, supertype, member, seen);
  });
}

describe('public API documentation', () => {
  const { gaps, declarationsChecked } = documentationGaps();

  test('reads the exports of src/index.ts', () => {
    expect(declarationsChecked).toBeGreaterThan(100);
  });

  test('every exported type and member has a doc comment, and every optional prop a @default', () => {
    expect(gaps.map((g) => `${g.where} ${g.what}`)).toEqual([]);
  });
});
