"""Optional client for any OpenAI-compatible chat API (``POST {base_url}/chat/completions``).

Off by default (``generate.llm.enabled``). What it guarantees:

- Responses are cached in the lake under ``cache/llm/<sha256>.json``, keyed by the content
  hash of the request (model, messages, temperature, max_tokens): a rerun costs nothing.
- ``estimate`` counts prompt tokens (cl100k) and bounds output tokens by ``max_tokens`` for
  the requests not yet cached, and prices them; ``check_budget`` refuses a batch whose
  estimate exceeds what is left of ``budget_usd``. Every call is checked again before it is sent.
- Retries with exponential backoff on timeouts, connection errors, 429 and 5xx
  (``Retry-After`` honoured); other HTTP errors fail at once.
- The API key comes from the environment variable named in the config, at run time. It is
  only ever put in the Authorization header: never in the cache, logs, errors or ``repr``.

Plain ``urllib``: no SDK, nothing Dagster.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dataforge.lib.config import LLMConfig
from dataforge.lib.lake import Lake

CACHE_PREFIX = "cache/llm"
RETRY_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})
MESSAGE_OVERHEAD_TOKENS = 4  # role and separators per chat message (OpenAI's accounting)
MAX_RETRY_AFTER_S = 60.0


class LLMError(RuntimeError):
    """The API could not give an answer (after retries, or a non-retryable status)."""


class LLMBudgetError(LLMError):
    """Running these requests could cost more than what is left of the budget."""


@dataclass(frozen=True)
class ChatRequest:
    messages: tuple[tuple[str, str], ...]  # (role, content)
    max_tokens: int
    temperature: float = 0.0

    def payload(self, model: str) -> dict[str, Any]:
        return {
            "model": model,
            "messages": [{"role": r, "content": c} for r, c in self.messages],
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
        }

    def digest(self, model: str) -> str:
        blob = json.dumps(self.payload(model), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Estimate:
    requests: int
    cached: int
    prompt_tokens: int  # of the requests still to send
    max_output_tokens: int
    cost_usd: float
    budget_left_usd: float

    def describe(self) -> str:
        return (
            f"LLM: {self.requests} requests ({self.cached} cached), to send: ~{self.prompt_tokens} prompt tokens "
            f"+ at most {self.max_output_tokens} output tokens, at most ${self.cost_usd:.4f}; "
            f"budget left ${self.budget_left_usd:.4f}"
        )


def _token_counter() -> Callable[[str], int]:
    try:
        from dataforge.lib.chunk import token_counter

        return token_counter("cl100k_base")
    except Exception:  # noqa: BLE001 - no tokenizer: a conservative character estimate
        return lambda text: len(text) // 3 + 1


class ChatClient:
    """One model at one endpoint, with a lake cache, a budget and retry policy."""

    def __init__(
        self,
        config: LLMConfig,
        lake: Lake | None = None,
        api_key: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not config.model:
            raise ValueError("generate.llm.model is empty: name the model to call")
        self.config = config
        self.lake = lake
        self._api_key = api_key if api_key is not None else os.environ.get(config.api_key_env, "")
        self._sleep = sleep
        self._count = _token_counter()
        self.spent_usd = 0.0
        self.stats: Counter[str] = Counter()

    def __repr__(self) -> str:  # never the key
        return f"ChatClient(base_url={self.config.base_url!r}, model={self.config.model!r})"

    # --- cost ---------------------------------------------------------------------------
    def prompt_tokens(self, request: ChatRequest) -> int:
        return sum(self._count(c) + MESSAGE_OVERHEAD_TOKENS for _, c in request.messages) + 2

    def _price(self, prompt: int, output: int) -> float:
        cfg = self.config
        return (prompt * cfg.price_input_per_mtok + output * cfg.price_output_per_mtok) / 1e6

    def budget_left(self) -> float:
        return max(0.0, float(self.config.budget_usd) - self.spent_usd)

    def estimate(self, requests: list[ChatRequest]) -> Estimate:
        unique = {r.digest(self.config.model): r for r in requests}
        todo = [r for d, r in sorted(unique.items()) if self._cached(d) is None]
        prompt = sum(self.prompt_tokens(r) for r in todo)
        output = sum(r.max_tokens for r in todo)
        return Estimate(
            len(unique), len(unique) - len(todo), prompt, output, self._price(prompt, output), self.budget_left()
        )

    def check_budget(self, requests: list[ChatRequest]) -> Estimate:
        estimate = self.estimate(requests)
        if estimate.cost_usd > estimate.budget_left_usd + 1e-12:
            raise LLMBudgetError(f"refusing to run: {estimate.describe()}")
        return estimate

    # --- cache --------------------------------------------------------------------------
    def _cache_key(self, digest: str) -> str:
        return f"{CACHE_PREFIX}/{digest}.json"

    def _cached(self, digest: str) -> dict[str, Any] | None:
        if self.lake is None or not self.lake.exists(self._cache_key(digest)):
            return None
        try:
            entry = self.lake.read_json(self._cache_key(digest))
        except (OSError, ValueError):
            return None
        return entry if isinstance(entry, dict) and isinstance(entry.get("content"), str) else None

    # --- calls --------------------------------------------------------------------------
    def complete(self, request: ChatRequest) -> str:
        """The assistant message for ``request``: from the cache, else from the API."""
        digest = request.digest(self.config.model)
        cached = self._cached(digest)
        if cached is not None:
            self.stats["cache_hits"] += 1
            return cached["content"]
        prompt = self.prompt_tokens(request)
        if self._price(prompt, request.max_tokens) > self.budget_left() + 1e-12:
            self.stats["refused_budget"] += 1
            raise LLMBudgetError(f"budget exhausted: ${self.spent_usd:.4f} of ${self.config.budget_usd:.4f} spent")
        body = self._post(request.payload(self.config.model))
        try:
            content = body["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError) as error:
            raise LLMError("malformed chat completion: no choices[0].message.content") from error
        if not isinstance(content, str):
            raise LLMError("malformed chat completion: content is not a string")
        usage = body.get("usage") if isinstance(body.get("usage"), dict) else {}
        used_prompt = int(usage.get("prompt_tokens") or prompt)
        used_output = int(usage.get("completion_tokens") or self._count(content))
        self.spent_usd += self._price(used_prompt, used_output)
        self.stats["calls"] += 1
        self.stats["prompt_tokens"] += used_prompt
        self.stats["output_tokens"] += used_output
        if self.lake is not None:
            entry = {
                "request": request.payload(self.config.model),
                "content": content,
                "usage": {"prompt_tokens": used_prompt, "completion_tokens": used_output},
            }
            self.lake.write_json(self._cache_key(digest), entry)
        return content

    def _post(self, payload: dict[str, Any]) -> dict[str, Any]:
        url = self.config.base_url.rstrip("/") + "/chat/completions"
        data = json.dumps(payload).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        delay = float(self.config.backoff_s)
        attempts = max(1, int(self.config.max_retries) + 1)
        last = ""
        for attempt in range(attempts):
            wait = delay
            try:
                req = urllib.request.Request(url, data=data, headers=headers, method="POST")
                with urllib.request.urlopen(req, timeout=float(self.config.timeout_s)) as response:  # noqa: S310
                    return json.loads(response.read().decode("utf-8"))
            except urllib.error.HTTPError as error:
                last = f"HTTP {error.code}"
                if error.code not in RETRY_STATUS:
                    raise LLMError(f"{url}: {last} (not retried)") from None
                retry_after = error.headers.get("Retry-After") if error.headers else None
                if retry_after and retry_after.strip().replace(".", "", 1).isdigit():
                    wait = min(float(retry_after), MAX_RETRY_AFTER_S)
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                last = type(error).__name__
            except ValueError:
                last = "invalid JSON"
            self.stats["retries"] += 1
            if attempt + 1 < attempts:
                self._sleep(wait)
                delay *= 2
        raise LLMError(f"{url}: gave up after {attempts} attempts ({last})")


def open_llm(config: LLMConfig, lake: Lake | None) -> ChatClient | None:
    """The configured client, or None when the LLM is off."""
    return ChatClient(config, lake) if config.enabled else None
