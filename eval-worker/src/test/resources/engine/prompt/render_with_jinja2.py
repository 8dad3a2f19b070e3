"""Prints jinja2-features.json: chat-template feature cases rendered by Jinja2 as transformers renders them.

transformers (utils/chat_template_utils.py) compiles chat templates with
ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[AssistantTracker, loopcontrols]),
replaces the tojson filter with json.dumps(..., ensure_ascii=False) and adds raise_exception and strftime_now.
This script sets Jinja2 up the same way (with a fixed clock) and records each case's output or error, so that
ChatTemplateFeatureTests can compare the Java renderer with it. Run: python3 render_with_jinja2.py > jinja2-features.json
"""
import json
import sys
from datetime import datetime

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension, loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

NOW = datetime(2024, 7, 26, 14, 5, 9, 123456)


class GenerationBlock(Extension):
    """{% generation %}...{% endgeneration %}: outside assistant-mask tracking transformers renders the body."""
    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return nodes.CallBlock(self.call_method("_render"), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[GenerationBlock, loopcontrols])
env.filters["tojson"] = tojson
env.globals["raise_exception"] = raise_exception
env.globals["strftime_now"] = lambda fmt: NOW.strftime(fmt)

U = {"role": "user", "content": "Hi"}
A = {"role": "assistant", "content": "Hello!"}
S = {"role": "system", "content": "Be brief."}

CASES = [
    # Whitespace control, as the lexer applies it.
    ("trim_blocks", "A{% if true %}\n  B{% endif %}\nC", [], {}),
    ("lstrip_blocks", "  {% if true %}\n  x\n  {% endif %}\ny", [], {}),
    ("lstrip_blocks_not_after_text", "a  {% if true %}b{% endif %}", [], {}),
    ("lstrip_blocks_after_variable", "{{ 'v' }}  {% if true %}b{% endif %}", [], {}),
    ("dash_blocks", "a  \n {%- if true -%}  \n b  {%- endif -%}  \n c", [], {}),
    ("dash_variables", "a \n {{- 'x' -}} \n b", [], {}),
    ("plus_modifiers", "  {%+ if true %}x{% endif +%}\ny", [], {}),
    ("comments", "a {# c #}\n  {#- c -#}  b\n{# x #}\nz\n  {# indented #}\nw", [], {}),
    ("one_trailing_newline_dropped", "x\n\n", [], {}),
    ("crlf", "a\r\nb{% if true %}\r\nc{% endif %}\r\n", [], {}),
    ("raw", "{% raw %}{{ not }} {% if %}{% endraw %}|{%- raw -%}  x  {%- endraw -%}  |", [], {}),
    ("raw_whitespace", "x\n  {% raw %}\n  a\n  {% endraw %}\nb|{% raw -%}  \n a {%+ endraw +%}\nc", [], {}),
    ("comment_and_block_dashes", "{#- x -#}  y|a {%- if true %} {% endif -%} b", [], {}),
    ("braces_in_text", "a{#c#}{b {{ '{' }}{{ '{' }} } }{{ 'x' }}}", [], {}),
    ("variable_then_newline_kept", "{{ 'a' }}\n{{ 'b' }}\n", [], {}),
    ("indented_loop", "{% for m in messages %}\n    {{ m.role }}\n{% endfor %}\n", [U, A], {}),
    ("nested_blocks", "{%- for m in messages -%}\n  {%- if m.role == 'user' -%}\n    [U:{{ m.content }}]\n"
                      "  {%- else -%}\n    [A:{{ m.content }}]\n  {%- endif -%}\n{%- endfor -%}", [U, A, U], {}),
    # String literals.
    ("string_escapes", "{{ 'a\\tb\\u00e9\\x41\\n' }}|{{ \"q'\\\"\" }}|{{ 'back\\\\slash' }}|{{ 'keep\\d' }}", [], {}),
    ("string_with_closers", "{{ '}}' + \"%}\" + '{{' }}{% if '%}' %}y{% endif %}", [], {}),
    ("dict_literal_in_variable", "{{ {'a': {'b': 1}}['a']['b'] }}", [], {}),
    # Printing values the way str() does.
    ("print_values", "{{ true }}|{{ false }}|{{ 3 }}|{{ 1.5 }}|{{ [1, 'a', none, true] }}|"
                     "{{ {'k': 'v', 'n': 2} }}|{{ undefined_name }}|{{ 10 / 4 }}|{{ 7 // 2 }}", [], {}),
    ("print_comparison", "{{ messages | length > 1 }}{{ 'a' == 'a' }}", [U, A], {}),
    # Python string methods.
    ("str_strip", "[{{ '  a b  '.strip() }}][{{ 'xxaxx'.strip('x') }}][{{ '  a'.lstrip() }}][{{ 'a  '.rstrip() }}]"
                  "[{{ 'a\\n'.rstrip('\\n') }}]", [], {}),
    ("str_affixes", "{{ 'Hello'.startswith('He') }}{{ 'Hello'.endswith('lo') }}{{ 'Hello'.startswith('lo') }}"
                    "{{ 'Hello'.startswith(('x', 'H')) }}", [], {}),
    ("str_split", "{{ 'a,b,,c'.split(',') }}|{{ '  a  b '.split() }}|{{ 'a.b.c'.split('.', 1) }}|"
                  "{{ 'a.b.c'.rsplit('.', 1) }}|{{ 'a.b.c'.split('.')[-1] }}", [], {}),
    ("str_case", "{{ 'hello world'.title() }}|{{ \"they're bill's\".title() }}|{{ 'abc'.upper() }}|"
                 "{{ 'ABC'.lower() }}|{{ 'hELLO'.capitalize() }}", [], {}),
    ("str_misc", "{{ 'a-b-c'.replace('-', '+') }}|{{ 'a-b-c'.replace('-', '', 1) }}|{{ ', '.join(['x', 'y']) }}|"
                 "{{ 'banana'.count('an') }}|{{ 'banana'.find('n') }}|{{ 'ab'.removeprefix('a') }}", [], {}),
    # tojson as transformers defines it.
    ("tojson", "{{ {'name': 'f', 'args': {'x': 1, 'é': [true, none, 1.5]}} | tojson }}|{{ 'q\"\\n' | tojson }}|"
               "{{ [] | tojson }}|{{ {} | tojson }}", [], {}),
    ("tojson_indent", "{{ {'b': [1, 2], 'a': {'c': 'd'}} | tojson(indent=2) }}", [], {}),
    ("tojson_sorted", "{{ {'b': 1, 'a': 2} | tojson(sort_keys=true) }}", [], {}),
    ("tojson_messages", "{{ messages | tojson }}", [S, U], {}),
    ("tojson_variable", "{{ tools | tojson }}", [], {"tools": [{"type": "function", "function": {
        "name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                                              "required": ["city"]}}}]}),
    # Loops, loop controls, scoping, namespace.
    ("loop_variables", "{% for m in messages %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}"
                       "{{ loop.length }}{{ loop.revindex }};{% endfor %}", [U, A, U], {}),
    ("loop_controls", "{% for m in messages %}{% if loop.first %}{% continue %}{% endif %}{{ m.role }}"
                      "{% if m.role == 'assistant' %}{% break %}{% endif %};{% endfor %}", [S, U, A, U], {}),
    ("for_scoping", "{% set x = 'outer' %}{% for m in messages %}{% set x = m.role %}{% endfor %}{{ x }}", [U], {}),
    ("if_scoping", "{% if true %}{% set x = 'set in if' %}{% endif %}{{ x }}", [], {}),
    ("namespace", "{% set ns = namespace(n=0, last='') %}{% for m in messages %}{% set ns.n = ns.n + 1 %}"
                  "{% set ns.last = m.role %}{% endfor %}{{ ns.n }}{{ ns.last }}", [U, A, U], {}),
    ("loop_over_items", "{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }};{% endfor %}", [], {}),
    ("items_filter", "{% for k, v in {'a': 1, 'b': 2} | items %}{{ k }}={{ v }};{% endfor %}|"
                     "{{ {'a': 1} | items | list }}", [], {}),
    ("loop_else", "{% for m in [] %}x{% else %}empty{% endfor %}", [], {}),
    # Slices.
    ("stepped_slices", "{% for m in messages[::-1] %}{{ m.role }};{% endfor %}|{{ 'abcdef'[::2] }}|"
                       "{{ [1, 2, 3, 4, 5][1::2] }}|{{ messages[::-1][0].role }}|{{ 'abc'[::-1] }}", [S, U, A], {}),
    ("simple_slices", "{{ messages[1:] | length }}|{{ 'hello'[1:] }}|{{ 'hello'[:-1] }}|{{ 'hello'[-2:] }}|"
                      "{{ [1, 2, 3][5:10] }}|{{ [1, 2, 3][-1] }}|{{ messages[-1].role }}", [S, U, A], {}),
    # Tests and operators.
    ("tests", "{{ x is defined }}{{ y is defined }}{{ none is none }}{{ 'a' is string }}{{ {} is mapping }}"
              "{{ [1] is iterable }}{{ 3 is number }}{{ 'a' is not string }}", [], {"x": 1}),
    ("membership", "{{ 'ell' in 'hello' }}{{ 'role' in messages[0] }}{{ 2 in [1, 2] }}{{ 'x' not in 'abc' }}",
     [U], {}),
    ("boolean_operators", "{{ '' or 'fallback' }}|{{ not '' }}|{{ none or 'x' }}|{{ 'a' and 'b' == 'b' }}", [], {}),
    ("arithmetic", "{{ 7 % 3 }}|{{ 2 ** 3 }}|{{ -3 + 1 }}|{{ 'a' ~ 1 }}", [], {}),
    ("inline_if", "{{ 'yes' if messages else 'no' }}|{{ 'yes' if [] else 'no' }}", [U], {}),
    ("filter_precedence", "{{ 'a' + 'b' | upper + 'c' }}|{{ '  x  ' | trim + '|' }}", [], {}),
    ("filters", "{{ messages | selectattr('role', 'equalto', 'user') | list | length }}|"
                "{{ messages | map(attribute='role') | join(',') }}|{{ (messages | first).role }}|"
                "{{ (messages | last).content }}|{{ missing | default('d') }}|{{ '42' | int + 1 }}|"
                "{{ messages | rejectattr('role', 'equalto', 'user') | list | length }}", [U, A, U], {}),
    ("select_by_undefined", "{% for m in messages | rejectattr('role', 'equalto', 'tool') "
                            "| selectattr('tool_calls', 'undefined') %}{{ m.role }};{% endfor %}",
     [U, {"role": "tool", "content": "42"}, A], {}),
    ("tool_call_json", "{% for call in calls %}{{ '{\"name\": \"' + call.name + '\", \"arguments\": ' }}"
                       "{{ call.arguments | tojson }}{{ '}' }}{% if not loop.last %}\n{% endif %}{% endfor %}"
                       "{% for name, value in calls[0].arguments | items %}|{{ name }}={{ value | tojson }}{% endfor %}",
     [], {"calls": [{"name": "get_weather", "arguments": {"city": "Paris", "days": 3}},
                    {"name": "noop", "arguments": {}}]}),
    ("python_literals", "{{ True }}{{ False }}{{ [None] }}{{ None is none }}", [], {}),
    ("dict_access", "{% set d = {'a': 1, 'b': [1, 2]} %}{{ d.a }}{{ d['b'][1] }}{{ d.get('c', 'z') }}"
                    "{{ d.get('a') }}", [], {}),
    ("macro", "{% macro wrap(x, tag='b') %}<{{ tag }}>{{ x }}</{{ tag }}>{% endmacro %}{{ wrap('hi') }}"
              "{{ wrap('yo', tag='i') }}", [], {}),
    ("set_block", "{% set block %}\n  inner {{ 1 }}\n{% endset %}[{{ block }}]", [], {}),
    ("generation_block", "{% for m in messages %}{% if m.role == 'assistant' %}{% generation %}{{ m.content }}"
                         "{% endgeneration %}{% else %}{{ m.content }}{% endif %}|{% endfor %}", [U, A], {}),
    ("loop_filter", "{% for m in messages if m.role != 'system' %}{{ loop.index }}{{ m.role }};{% endfor %}",
     [S, U, A], {}),
    ("loop_filter_pairs_and_else", "{% for k, v in {'a': 1, 'b': 2, 'c': 3}.items() if v != 2 %}{{ k }}{{ v }}"
                                   "{{ loop.last }};{% endfor %}|{% for m in messages if m.role == 'tool' %}x"
                                   "{% else %}none{% endfor %}", [S, U, A], {}),
    ("multiline_tags", "{%- if\n   messages | length\n   > 1 -%}\n  many\n{%- endif %}", [U, A], {}),
    ("not_is_defined", "{% if not x is defined %}a{% endif %}{% if x is not defined %}b{% endif %}"
                       "{% if not messages %}c{% endif %}", [], {}),
    ("qwen3_style_split", "{% set c = messages[0].content %}{{ c.split('</think>')[-1].lstrip('\\n') }}|"
                          "{{ c.split('<think>')[-1].split('</think>')[0].rstrip('\\n') }}",
     [{"role": "assistant", "content": "<think>\nreasoning\n</think>\n\nanswer"}], {}),
    ("range_and_cycle", "{% for i in range(3) %}{{ i }}{{ loop.cycle('a', 'b') }}{% endfor %}", [], {}),
    ("tojson_separators", "{{ {'a': [1, 2]} | tojson(separators=(',', ':')) }}", [], {}),
    ("string_filters", "{{ 'Hello' | lower }}|{{ 'hello' | upper }}|{{ 'hello world' | title }}|"
                       "{{ 42 | string }}|{{ 'a b' | replace(' ', '_') }}|{{ ['b', 'a'] | sort | join }}",
     [], {}),
    ("unicode_text", "Grüße {{ '世界' }} 🙂\n  {%- if true %} ✓{% endif %}", [], {}),
    ("comparisons", "{{ 'a' < 'b' }}{{ 2 >= 2 }}{{ messages | length != 0 }}", [U], {}),
    # Globals transformers adds.
    ("strftime_now", "{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%Y-%m-%d %H:%M:%S') }}|"
                     "{{ strftime_now('%A %B %j %I %p %y %%') }}|{{ strftime_now('%-d %-m') }}|"
                     "{{ strftime_now is defined }}", [], {}),
    ("raise_exception", "{% if messages[0].role == 'system' %}{{ raise_exception('System role not supported') }}"
                        "{% endif %}ok", [S], {}),
    ("content_is_data", "{% for m in messages %}{{ m.content }}{% endfor %}",
     [{"role": "user", "content": "{{ 7 * 6 }} {% if x %}y{% endif %} {# c #}"}], {}),
    ("special_tokens", "{{ bos_token }}|{{ eos_token }}|{{ pad_token }}|{{ additional_special_tokens | length }}",
     [], {"bos_token": "<s>", "eos_token": "</s>", "additional_special_tokens": ["<x>"]}),
]


def main():
    out = []
    for name, template, messages, variables in CASES:
        case = {"name": name, "template": template, "messages": messages, "variables": variables}
        try:
            case["expected"] = env.from_string(template).render(
                messages=messages, add_generation_prompt=False, tools=variables.get("tools"), documents=None,
                **{k: v for k, v in variables.items() if k != "tools"})
        except jinja2.exceptions.TemplateError as e:
            case["error"] = str(e)
        out.append(case)
    json.dump({"generator": "render_with_jinja2.py, Jinja2 " + jinja2.__version__, "cases": out}, sys.stdout,
              ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
