"""Checks the README's Python examples against the Python package jsii-pacmak generated.

The package can't be imported here (its jsii runtime comes from PyPI), so both are read as
source: every name a block imports from cdk_imagebuilder must exist, and every call of one of
those classes, or of a static method on one, may pass only keyword arguments the generated
signature has, and no more positional arguments than it takes.

Usage: python3 scripts/check_readme_python.py <generated __init__.py> <README.md>
"""
import ast
import re
import sys

PACKAGE = "cdk_imagebuilder"


def signature(function):
    """(positional parameter names without self, keyword parameter names) of a def."""
    positional = [a.arg for a in function.args.posonlyargs + function.args.args if a.arg not in ("self", "cls")]
    keywords = set(positional) | {a.arg for a in function.args.kwonlyargs}
    return positional, keywords


def generated_api(init_source):
    """Each public class of the package: its constructor's and its methods' signatures."""
    classes = {}
    for node in ast.parse(init_source).body:
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            methods = {f.name: signature(f) for f in node.body if isinstance(f, ast.FunctionDef)}
            classes[node.name] = methods
    return classes


def python_blocks(readme):
    """The ```python blocks of the README, with the line each starts on."""
    for match in re.finditer(r"^```python\n(.*?)^```", readme, re.M | re.S):
        yield readme.count("\n", 0, match.start()) + 2, match.group(1)


def check_call(call, methods, what, problems, where):
    if methods is None:
        problems.append(f"{where}: {what} is not in the generated package")
        return
    positional, keywords = methods
    for keyword in call.keywords:
        if keyword.arg is not None and keyword.arg not in keywords:
            problems.append(f"{where}: {what} has no parameter '{keyword.arg}' (it takes {', '.join(sorted(keywords))})")
    if len(call.args) > len(positional):
        problems.append(f"{where}: {what} takes {len(positional)} positional arguments, got {len(call.args)}")


def check_block(code, first_line, api, problems, readme_name):
    tree = ast.parse(code)
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == PACKAGE:
            for alias in node.names:
                if alias.name not in api:
                    problems.append(f"{readme_name} line {first_line + node.lineno - 1}: {PACKAGE} has no {alias.name}")
                imported.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        where = f"{readme_name} line {first_line + node.lineno - 1}"
        func = node.func
        if isinstance(func, ast.Name) and func.id in imported and func.id in api:
            check_call(node, api[func.id].get("__init__"), func.id, problems, where)
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in imported and func.value.id in api:
            check_call(node, api[func.value.id].get(func.attr), f"{func.value.id}.{func.attr}", problems, where)
    return len(imported)


def main(init_path, readme_path):
    with open(init_path, encoding="utf-8") as f:
        api = generated_api(f.read())
    with open(readme_path, encoding="utf-8") as f:
        readme = f.read()
    problems = []
    blocks = list(python_blocks(readme))
    checked = sum(check_block(code, line, api, problems, readme_path) for line, code in blocks)
    if not blocks or checked == 0:
        problems.append(f"{readme_path} has no Python block that imports from {PACKAGE}")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"{len(blocks)} Python blocks of {readme_path} match the generated package ({checked} imported names)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
