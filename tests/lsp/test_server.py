"""`entitle lsp` driven end to end by pytest-lsp (pygls's client), over stdio.

Run by .ci/run: `python3 -m pytest tests/lsp`. ENTITLE_BIN names the binary
(default: target/release/entitle). Each test works on a copy of the shipped pack in a
project folder of its own: `policies/` and `scenarios/`.
"""

import asyncio
import os
import pathlib
import shutil
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

ROOT = pathlib.Path(__file__).resolve().parents[2]
ENTITLE = os.environ.get("ENTITLE_BIN", str(ROOT / "target" / "release" / "entitle"))

SCENARIO = """scenario: renew on time
as_of: 2021-09-15
input:
  offer: { kind: action_pack, purchased_on: 2020-09-01 }
  request: { action: renew }
expect:
  decision: allow
  denied_by: []
  outputs: { renewal_window_opens: 2021-09-02 }
"""


@pytest.fixture
def project(tmp_path):
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "renew.yaml").write_text(SCENARIO)
    return tmp_path.resolve()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[ENTITLE, "lsp"]))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
    yield
    await lsp_client.shutdown_session()


def uri(path):
    return path.as_uri()


def open_doc(client, path, text=None):
    text = path.read_text() if text is None else text
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri(path), language_id="entitle", version=1, text=text)
        )
    )
    return text


def change_doc(client, path, text, version=2):
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri(path), version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def position_of(text, needle, within=0):
    """The LSP position (UTF-16 columns) of `needle`'s character `within`."""
    offset = text.index(needle) + within
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    column = len(text[start:offset].encode("utf-16-le")) // 2
    return types.Position(line=line, character=column)


async def diagnostics_for(client, path, want=lambda found: len(found) > 0):
    """The diagnostics published for `path` once they are as `want` says (or after
    five seconds, whatever they are)."""
    target = uri(path)
    for _ in range(100):
        found = list(client.diagnostics.get(target, []))
        if target in client.diagnostics and want(found):
            return found
        await asyncio.sleep(0.05)
    return list(client.diagnostics.get(target, []))


async def test_a_mistake_in_a_rule_is_published_as_typed_on_its_range(client, project):
    rules = project / "policies" / "rules" / "membership.policy"
    text = open_doc(client, rules)
    assert await diagnostics_for(client, rules, lambda found: found == []) == []
    # An unknown field after a character of two UTF-16 units and four bytes.
    broken = text.replace(
        'deny "the annual fee is not paid"', 'deny "the annual fee \U0001d11e {request.fee_payed} is not paid"', 1
    )
    change_doc(client, rules, broken)
    found = await diagnostics_for(client, rules, lambda found: any("fee_payed" in d.message for d in found))
    assert len(found) == 1, found
    d = found[0]
    assert "fee_payed" in d.message and "did you mean `fee_paid`?" in d.message, d.message
    assert d.code == "entitle::check::unknown_field"
    assert d.range.start == position_of(broken, "fee_payed"), (d.range, position_of(broken, "fee_payed"))
    assert d.range.end == position_of(broken, "fee_payed", len("fee_payed"))


async def test_a_parameter_of_the_wrong_type_is_published_in_params_toml(client, project):
    params = project / "policies" / "params.toml"
    text = open_doc(client, params)
    change_doc(client, params, text.replace('opens_after = "1 day"', 'opens_after = "1 dya"'))
    found = await diagnostics_for(client, params, lambda found: any("dya" in d.message for d in found))
    assert any('did you mean "1 day"?' in d.message for d in found), found
    d = [d for d in found if "dya" in d.message][0]
    assert d.range.start == position_of(text.replace('"1 day"', '"1 dya"'), '"1 dya"')


async def test_a_scenario_typo_is_published_with_its_fix(client, project):
    scenario = project / "scenarios" / "renew.yaml"
    text = open_doc(client, scenario, SCENARIO.replace("purchased_on", "purchased_onn"))
    found = await diagnostics_for(client, scenario)
    assert len(found) >= 1, found
    assert any("did you mean `purchased_on`?" in d.message for d in found), found
    d = [d for d in found if "purchased_onn" in d.message][0]
    assert d.range.start == position_of(text, "purchased_onn")


async def hover(client, path, text, needle, within=1):
    result = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)), position=position_of(text, needle, within)
        )
    )
    return result.contents.value if result else ""


async def test_hover_says_what_a_name_is(client, project):
    rules = project / "policies" / "rules" / "membership.policy"
    text = open_doc(client, rules)
    assert "`params.renewal.opens_after`: days = 1 day" in await hover(client, rules, text, "params.renewal.opens_after", 16)
    assert "offer_kind" in await hover(client, rules, text, "offer.kind", 7)
    assert "next_anniversary(anchor: date, from: date) -> date" in await hover(client, rules, text, "next_anniversary")
    scenario = project / "scenarios" / "renew.yaml"
    text = open_doc(client, scenario, SCENARIO.replace("denied_by: []", "denied_by: [RENEW-WINDOW]"))
    said = await hover(client, scenario, text, "RENEW-WINDOW", 3)
    assert "**RENEW-WINDOW** Renewal window" in said and "000#membership" in said, said


async def test_a_citation_shows_and_leads_to_its_source(client, project):
    rules = project / "policies" / "rules" / "membership.policy"
    text = open_doc(client, rules)
    said = await hover(client, rules, text, '"000#responding-to-covid-19"', 6)
    assert said.startswith("**000 § Reageren op COVID-19**"), said
    assert "tussen 1 januari en 30 juni 2021" in said, said
    found = await definition(client, rules, text, '"000#membership"', 9)
    source = project / "policies" / "sources" / "000.md"
    assert found.uri == uri(source)
    assert found.range.start == position_of(source.read_text(), '## <a name="membership">', 0)


async def definition(client, path, text, needle, within=1):
    result = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)), position=position_of(text, needle, within)
        )
    )
    return result


async def test_go_to_definition_finds_where_a_name_is_declared(client, project):
    rules = project / "policies" / "rules" / "membership.policy"
    text = open_doc(client, rules)
    params = (project / "policies" / "params.toml").read_text()
    found = await definition(client, rules, text, "params.renewal.opens_after", 16)
    assert found.uri == uri(project / "policies" / "params.toml")
    assert found.range.start == position_of(params, '"1 day"')
    schema = (project / "policies" / "schema.toml").read_text()
    found = await definition(client, rules, text, "offer.purchased_on", 8)
    assert found.uri == uri(project / "policies" / "schema.toml")
    assert found.range.start.line == schema[: schema.index("purchased_on = ")].count("\n")
    # An output read by a message leads to the statement that writes it.
    found = await definition(client, rules, text, "{renewal_window_opens}", 3)
    assert found.uri == uri(rules)
    assert found.range.start.line == text[: text.index("output renewal_window_opens")].count("\n")
    scenario = project / "scenarios" / "renew.yaml"
    text = open_doc(client, scenario, SCENARIO.replace("denied_by: []", "denied_by: [RENEW-WINDOW]"))
    found = await definition(client, scenario, text, "RENEW-WINDOW", 2)
    assert found.uri == uri(rules)
    rules_text = rules.read_text()
    assert found.range.start == position_of(rules_text, "RENEW-WINDOW")


async def completion(client, path, text, at):
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri(path)), position=at)
    )
    items = result.items if hasattr(result, "items") else result
    return {i.label for i in items}


async def test_completion_offers_what_may_come_next(client, project):
    rules = project / "policies" / "rules" / "membership.policy"
    text = open_doc(client, rules)
    typed = text.replace("when request.action == renew\n", "when request.action == renew and params.\n", 1)
    change_doc(client, rules, typed)
    at = position_of(typed, "params.\n", len("params."))
    assert {"renewal", "covid", "subscriptions"} <= await completion(client, rules, typed, at)
    typed = text.replace("when request.action == renew\n", "when request.action == renew and offer.\n", 1)
    change_doc(client, rules, typed, 3)
    at = position_of(typed, "offer.\n", len("offer."))
    assert {"kind", "purchased_on", "paid_through"} <= await completion(client, rules, typed, at)
    at = position_of(typed, "request.action == renew", len("request.action == r"))
    labels = await completion(client, rules, typed, at)
    assert {"renew", "next_anniversary", "offer", "params", "as_of"} <= labels
    scenario = project / "scenarios" / "renew.yaml"
    text = open_doc(client, scenario)
    labels = await completion(client, scenario, text, position_of(text, "[]", 1))
    assert {"RENEW-WINDOW", "ACCESS-ACTIVE"} <= labels


async def test_formatting_lays_out_a_rule_file(client, project):
    rules = project / "policies" / "rules" / "mine.policy"
    messy = 'rule MINE "mine"   cites "x#y" when request.action==renew{deny "no" if as_of<offer.purchased_on}\n'
    rules.write_text(messy)
    open_doc(client, rules)
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=uri(rules)),
            options=types.FormattingOptions(tab_size=2, insert_spaces=True),
        )
    )
    assert len(edits) == 1
    assert edits[0].new_text == (
        'rule MINE "mine"\n  cites "x#y"\n  when request.action == renew\n{\n  deny "no"\n    if as_of < offer.purchased_on\n}\n'
    )


async def test_a_scenario_outside_a_project_is_read_against_the_shipped_pack(client, tmp_path):
    scenario = tmp_path.resolve() / "loose.yaml"
    text = SCENARIO.replace("action_pack", "action_pak")
    scenario.write_text(text)
    open_doc(client, scenario, text)
    found = await diagnostics_for(client, scenario)
    assert any("did you mean `action_pack`?" in d.message for d in found), found
