"""The optional LLM path against an OpenAI-compatible server started here on loopback.

The server is a test double of an external API (``POST /v1/chat/completions``), not of our
code: the client, its cache, budget, retries and the grounding checks all run for real.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dataforge.lib.config import DataforgeConfig, LLMConfig
from dataforge.lib.generate import generate_document_examples, llm_requests
from dataforge.lib.generate.grounding import find_span, support, unsupported_reason
from dataforge.lib.lake import LocalLake
from dataforge.lib.llm import ChatClient, ChatRequest, LLMBudgetError, LLMError
from dataforge_tests.lib.test_generate import DOC_A, bundle, cached_embed

KEY = "sk-test-secret-0123456789"
PARAPHRASE = [
    ("Which organization", "What organization"),
    ("Who ", "Which person "),
    ("When ", "In which year "),
    ("Where ", "In which place "),
    ("By whom ", "By which person "),
    ("How much ", "What amount "),
    ("How many ", "What number of "),
]


def _passage(prompt: str, head: str) -> str:
    return prompt.split(head, 1)[1].split("\n\n", 1)[0]


def reply_for(prompt: str, mode: str) -> dict:
    """What a cooperative (``grounded``) or a careless (``hallucinate``) model would write."""
    if prompt.startswith("Document:") and "Summarize" in prompt:
        first = re.match(r"[^.]*\.", _passage(prompt, "Document:\n")).group()
        return {"summary": first if mode == "grounded" else "Northwind Robotics was founded in 1999 by Jane Smith."}
    if prompt.startswith("Document:"):
        sents = re.findall(r"[^.\n][^.]*\.", _passage(prompt, "Document:\n"))
        answer = sents[1].strip() if mode == "grounded" else "The company moved to Paris."
        return {"turns": [{"user": "What does the company build?", "assistant": answer}]}
    if "Rewrite the question" in prompt:
        question = re.search(r"\nQuestion: (.*)\n", prompt).group(1)
        for old, new in PARAPHRASE:
            if question.startswith(old):
                question = new + question[len(old) :]
                break
        answer = re.search(r"\nAnswer: (.*)\n", prompt).group(1)
        return {"question": question if mode == "grounded" else f"Was it {answer}?"}
    passage = _passage(prompt, "Passage:\n")
    found = re.search(r"(\w+ \w+) was founded in (\d{4})", passage)
    if mode == "grounded" and found:
        return {"question": f"When was {found.group(1)} founded?", "answer": found.group(2)}
    if mode == "grounded" and "acquired Helix Sensors" in passage:  # abstractive, but supported
        return {"question": "Who acquired Helix Sensors in March 2015?", "answer": "Helix Sensors was acquired by "
                "Northwind Robotics."}  # fmt: skip
    return {"question": "Who is the company?", "answer": "Acme Corp"}


class FakeAPI(BaseHTTPRequestHandler):
    mode = "grounded"
    failures: list[tuple[int, dict[str, str]]] = []  # statuses to answer before succeeding
    seen: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        if type(self).failures:
            status, headers = type(self).failures.pop(0)
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            return
        content = json.dumps(reply_for(body["messages"][-1]["content"], type(self).mode))
        data = json.dumps(
            {
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}],
                "usage": {"prompt_tokens": 100, "completion_tokens": 20},
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def api() -> Iterator[str]:
    FakeAPI.mode, FakeAPI.failures, FakeAPI.seen = "grounded", [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeAPI)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def llm_config(base_url: str, **kw) -> LLMConfig:
    return LLMConfig(enabled=True, base_url=base_url, model="test-model", api_key_env="DATAFORGE_TEST_KEY", **kw)


def client(base_url: str, lake=None, sleeps: list | None = None, **kw) -> ChatClient:
    sleeps = [] if sleeps is None else sleeps
    return ChatClient(llm_config(base_url, **kw), lake, api_key=KEY, sleep=sleeps.append)


REQUEST = ChatRequest((("system", "Be brief."), ("user", "Document:\nAcme was founded in 1999. Summarize")), 50)


def test_responses_are_cached_by_content_hash_and_the_key_never_leaks(api, tmp_path):
    lake = LocalLake(tmp_path)
    first = client(api, lake)
    assert first.complete(REQUEST) == first.complete(REQUEST)
    assert len(FakeAPI.seen) == 1 and FakeAPI.seen[0]["path"] == "/v1/chat/completions"
    assert FakeAPI.seen[0]["auth"] == f"Bearer {KEY}" and FakeAPI.seen[0]["body"]["model"] == "test-model"
    (key,) = lake.list("cache/llm")
    assert key == f"cache/llm/{REQUEST.digest('test-model')}.json"
    assert KEY not in lake.read_bytes(key).decode() and KEY not in repr(first)
    rerun = client(api, lake)  # a new process on the same lake: the rerun costs nothing
    assert rerun.complete(REQUEST) and len(FakeAPI.seen) == 1 and rerun.stats["cache_hits"] == 1
    assert rerun.estimate([REQUEST]).cached == 1 and rerun.estimate([REQUEST]).cost_usd == 0


def test_retries_with_exponential_backoff_and_retry_after(api):
    FakeAPI.failures = [(503, {}), (500, {}), (429, {"Retry-After": "0.5"})]
    sleeps: list[float] = []
    assert client(api, sleeps=sleeps, backoff_s=0.1).complete(REQUEST)
    assert sleeps == [0.1, 0.2, 0.5] and len(FakeAPI.seen) == 4
    FakeAPI.failures = [(400, {})]
    with pytest.raises(LLMError, match="HTTP 400"):
        client(api).complete(REQUEST)
    FakeAPI.failures = [(503, {})] * 3
    with pytest.raises(LLMError, match="gave up after 3 attempts") as error:
        client(api, max_retries=2).complete(REQUEST)
    assert KEY not in str(error.value)


def test_estimate_before_a_run_and_budget_cap(api, tmp_path):
    priced = client(api, LocalLake(tmp_path), price_input_per_mtok=1000.0, price_output_per_mtok=2000.0)
    estimate = priced.estimate([REQUEST, REQUEST])
    assert estimate.requests == 1 and estimate.prompt_tokens > 10 and estimate.max_output_tokens == 50
    assert estimate.cost_usd == pytest.approx((estimate.prompt_tokens * 1000 + 50 * 2000) / 1e6)
    assert "budget left $5.0000" in estimate.describe()
    poor = client(api, budget_usd=0.01, price_input_per_mtok=1000.0, price_output_per_mtok=2000.0)
    with pytest.raises(LLMBudgetError):
        poor.check_budget([REQUEST])
    with pytest.raises(LLMBudgetError):
        poor.complete(REQUEST)
    assert FakeAPI.seen == []  # refused before anything was sent


def test_grounding_rules():
    context = "In March 2015, Northwind Robotics acquired Helix Sensors for $40 million."
    assert find_span(context, "helix  sensors") == (43, 56) and context[43:56] == "Helix Sensors"
    assert find_span(context, "Acme") is None
    assert unsupported_reason("Northwind Robotics acquired Helix Sensors in 2015.", context, 0.8) is None
    assert unsupported_reason("Northwind Robotics acquired Helix Sensors in 2016.", context, 0.8) == "numbers"
    assert unsupported_reason("Northwind Robotics acquired Acme.", context, 0.8) == "names"
    assert unsupported_reason("The robots were painted blue and shipped overseas.", context, 0.8) == "content_words"
    assert support("Which organization did Northwind Robotics acquire?", context) == 1.0


def run_llm(api: str, tmp_path, mode: str, **kw) -> tuple[list[dict], ChatClient]:
    FakeAPI.mode = mode
    config = DataforgeConfig()
    config = replace(config, generate=replace(config.generate, llm=llm_config(api, **kw)))
    llm = client(api, LocalLake(tmp_path), **kw)
    return generate_document_examples(*bundle("doc-a"), config, embed=cached_embed, llm=llm), llm


def test_llm_examples_are_grounded_with_exact_spans(api, tmp_path):
    examples, llm = run_llm(api, tmp_path, "grounded")
    made = {ex["generator"]: ex for ex in examples if "llm" in ex["generator"] or "paraphrase" in ex["generator"]}
    wanted = {"qa.llm/1", "qa.paraphrase/1", "summary.llm/1", "conversation.llm/1", "instruction.llm_answer/1"}
    assert set(made) == wanted, llm.stats
    free = made["instruction.llm_answer/1"]
    assert free["output"] == "Helix Sensors was acquired by Northwind Robotics." and "Question:" in free["input"]
    qa = made["qa.llm/1"]
    assert qa["context"][qa["answer_start"] : qa["answer_end"]] == qa["answer"] == "2009"
    assert DOC_A[qa["source_spans"][0]["start"] : qa["source_spans"][0]["end"]] == qa["context"]
    para = made["qa.paraphrase/1"]
    assert para["context"][para["answer_start"] : para["answer_end"]] == para["answer"]
    summary = made["summary.llm/1"]
    assert summary["summary_type"] == "abstractive" and summary["metadata"]["scope"] == "document_abstractive"
    assert [ex["metadata"]["scope"] for ex in examples if ex["kind"] == "summary"].count("document") == 1
    assert made["conversation.llm/1"]["conversations"][0]["role"] == "system"
    for ex in made.values():
        for s in ex["source_spans"]:
            assert 0 <= s["start"] < s["end"] <= len(DOC_A)
    calls = len(FakeAPI.seen)
    assert calls == len(llm_requests(*bundle("doc-a"), replace(DataforgeConfig(), generate=replace(
        DataforgeConfig().generate, llm=llm_config(api)))))  # fmt: skip
    again, rerun = run_llm(api, tmp_path, "grounded")  # same lake: all from the cache
    assert again == examples and len(FakeAPI.seen) == calls and rerun.stats["calls"] == 0


def test_unsupported_outputs_are_rejected_and_counted(api, tmp_path):
    examples, llm = run_llm(api, tmp_path, "hallucinate")
    assert not [ex for ex in examples if "llm" in ex["generator"] or "paraphrase" in ex["generator"]]
    rejected = {k: v for k, v in llm.stats.items() if k.startswith("rejected_")}
    assert {"rejected_qa_answer_names", "rejected_summary_numbers", "rejected_conversation_names",
            "rejected_paraphrase_malformed_question"} <= set(rejected)  # fmt: skip
    assert sum(rejected.values()) == llm.stats["calls"]


def test_llm_is_off_by_default_and_stops_at_the_budget(api, tmp_path):
    assert DataforgeConfig().generate.llm.enabled is False
    llm = client(api)
    examples = generate_document_examples(*bundle("doc-a"), DataforgeConfig(), embed=cached_embed, llm=llm)
    assert FakeAPI.seen == [] and not [ex for ex in examples if ".llm/" in ex["generator"]]
    _, poor = run_llm(api, tmp_path, "grounded", budget_usd=0.0001, price_input_per_mtok=1000.0)
    assert FakeAPI.seen == [] and poor.stats["skipped_budget"] == 1


def test_document_stage_estimates_the_batch_first_and_reports_llm_counts(api, tmp_path, monkeypatch):
    from dataforge.lib.ingest import ingest_bytes, list_documents
    from dataforge.lib.stages import DOCUMENT_STAGES, document_examples

    monkeypatch.setenv("DATAFORGE_TEST_KEY", KEY)
    lake = LocalLake(tmp_path / "lake")
    ingest_bytes(lake, DOC_A.encode(), "northwind.txt", "northwind.txt")
    doc_ids = list_documents(lake)
    base = DataforgeConfig()
    config = replace(base, generate=replace(base.generate, llm=llm_config(api)))
    logs: list[str] = []
    for _, stage in DOCUMENT_STAGES:
        report = stage(lake, doc_ids, config, logs.append)
    assert report.stage == "document_examples" and report.done == doc_ids
    meta = report.metadata()
    assert meta["llm_calls"] == len(FakeAPI.seen) > 0 and meta["llm_accepted_summary"] == 1
    assert any(line.startswith("LLM: ") for line in logs) and not any(KEY in line for line in logs)
    assert FakeAPI.seen[0]["auth"] == f"Bearer {KEY}"
    FakeAPI.seen.clear()
    other = LLMConfig(**{**llm_config(api).__dict__, "model": "other-model", "budget_usd": 0.0001})
    poor = replace(config, generate=replace(config.generate, llm=replace(other, price_input_per_mtok=1000.0)))
    with pytest.raises(LLMBudgetError, match="refusing to run"):
        document_examples(lake, doc_ids, poor)
    assert FakeAPI.seen == []  # the whole batch refused before any request
