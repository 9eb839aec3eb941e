"""Words people search the portal for, so a search benchmark asks something new on every request.

A repeated query measures the caches (the anonymous page cache, PostgreSQL's buffers and, with
prepared statements, one plan for one word) rather than a search: real searches are mostly
new words. These are the moderators' own words, common and rare in the demo data alike, a
few misspelt or half typed as people type them. wrk asks two of them per request in a Lua
script (``wrk_script``), walking through the pairs (about 24,000) from a random start for each
run, each wrk thread an eighth of the pairs away from the next, so no address repeats within a
run and few repeat from one run to the next.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

# In a page's address (bench/pages.py), where the words drawn for each request go.
NEW_WORDS = "{new words}"

WORDS = [
    *("timeout", "ban", "raid", "hate", "backseat", "backseating", "spoiler", "spoilers"),
    *("automod", "nightbot", "streamelements", "blocked", "terms", "slow", "mode"),
    *("follower", "followers", "only", "emote", "subscriber", "vip", "lurker", "lurkers"),
    *("regulars", "warning", "warn", "first", "time", "chatter", "chatters", "burnout"),
    *("shield", "phishing", "scam", "link", "links", "permit", "command", "commands"),
    *("schedule", "evening", "weekend", "trial", "applying", "application", "opening"),
    *("streamer", "trust", "ladder", "escalation", "appeal", "appeals", "unban"),
    *("harassment", "doxxing", "self", "harm", "crisis", "mental", "health", "boundaries"),
    *("giveaway", "bot", "bots", "filter", "filters", "caps", "spam", "copypasta"),
    *("log", "logs", "notes", "handover", "overnight", "language", "spanish", "german"),
    *("moderater", "timout", "autmod", "raidd", "bann"),  # typos, as typed
    *("mod", "tim", "raid prot", "hat"),  # words still being typed
    *("clip", "clips", "vod", "highlight", "title", "category", "game", "speedrun"),
    *("donation", "donations", "bits", "cheer", "hype", "train", "prediction", "poll"),
    *("whisper", "whispers", "dm", "ping", "mention", "report", "reports", "evidence"),
    *("screenshot", "team", "head", "lead", "senior", "new", "onboarding", "guide"),
    *("volunteer", "burnt", "tired", "break", "rotation", "coverage", "timezone", "europe"),
    *("america", "asia", "night", "morning", "stream", "channel", "community", "rules"),
    *("racism", "slur", "slurs", "bigotry", "troll", "trolls", "bait", "argument"),
    *("politics", "religion", "drama", "gossip", "minors", "age", "underage", "privacy"),
]


def wrk_script(path_prefix: str, start: int, words: list[str] = WORDS) -> str:
    """A wrk Lua script asking ``path_prefix`` + two words on every request, from pair number
    ``start``; each wrk thread starts an eighth of the pairs after the one before (threads
    share nothing in wrk, so each counts for itself)."""
    quoted = json.dumps([word.replace(" ", "+") for word in words])
    return f"""-- written by bench/search_words.py
local words = {{{quoted[1:-1]}}}
local prefix = {json.dumps(path_prefix)}
local n = #words
local spread = math.floor(n * n / 8)
local threads = 0
local counter = 0

function setup(thread)
  thread:set("offset", {start} + threads * spread)
  threads = threads + 1
end

function init(args)
  counter = tonumber(offset or 0) or 0
end

function request()
  counter = counter + 1
  local first = words[(counter % n) + 1]
  local second = words[(math.floor(counter / n) % n) + 1]
  return wrk.format(nil, prefix .. first .. "+" .. second)
end
"""


def first_address(path: str) -> str:
    """The address of the first request the script makes, for a single probe of the page."""
    return path.replace(NEW_WORDS, f"{WORDS[1]}+{WORDS[0]}")


def write_wrk_script(path: str, directory: Path) -> Path:
    """A fresh script for a page address holding NEW_WORDS, starting at a random pair (so the
    next run of the same page asks other words, not ones a page cache still holds)."""
    prefix, _, rest = path.partition(NEW_WORDS)
    if rest:
        raise ValueError(f"the new words must end the address: {path}")
    script = directory / "search-words.lua"
    script.write_text(wrk_script(prefix, random.randrange(len(WORDS) ** 2)))
    return script
