"""Statistics of a profile: today's counts, what is due, the streak, reviews per day, true
retention by week and month, the 30-day forecast, mastery per topic, the interval
distribution, the last session and the leeches. One implementation serves `quizdl stats`
(rich tables, or JSON with --json) and the app's dashboard:

    from quizdl.stats import compute
    stats = compute(database, "default")      # a quizdl.stats.model.Stats
    stats.to_json()                           # the dict `quizdl stats --json` prints

Days are study days: they end at the profile's rollover hour (default 04:00) in its time
zone. Times are ISO 8601 in UTC, days are YYYY-MM-DD; ratios are 0..1 with 4 decimals and
null where there is nothing to divide by. The JSON keys (stable; new keys may be added):

    profile, now, study_day, time_zone, rollover_hour
    today:    reviews, new_cards (first answers of new cards), by_rating {"1".."4"},
              retention (pass rate of answers to review-state cards today), seconds
    due:      new, learning, review, total -- what `quizdl review` would offer now: learning
              and relearning cards due before the day ends, review cards due (at most the
              day's review limit left), new cards (at most the new-card limit left);
              suspended, buried and retired cards left out
    cards:    total, new, learning (with relearning), review, suspended, leeches
    streak:   days (consecutive study days with an answer, ending today, or yesterday while
              today has none yet), studied_today
    week:     start (this week's Monday), reviews, days_studied
    reviews_per_day: [{day, reviews}] for the last 365 study days, oldest first (heatmap)
    retention: weeks: [{start, end, reviews, passed, retention}] for the last 12 weeks
                      (Monday..Sunday), months: the same for the last 12 calendar months;
               true retention: the share of answers to cards in the review state that were
               not Again
    forecast: [{day, due}] for the next 30 study days from today; overdue cards count today
    mastery:  mean retrievability now of the seen cards (null when none)
    topics:   [{topic, cards, seen, mastery, due {new, learning, review, total}}] by topic id;
              a topic's due counts are what `quizdl review --topic T` would offer
    intervals: [{min_days, max_days, cards}] review cards by current interval
               (due − last review), buckets [0,2) [2,3) [3,7) [7,14) [14,30) [30,90)
               [90,180) [180,365) [365,null)
    last_session: null or {id, started_at, ended_at (null while open), reviews, by_rating,
                  seconds, correct, incorrect (null when the session did not record them)}
    leeches:  [{card_id, topic, lapses, suspended}], most lapses first

Retired cards (gone from the content) are left out of every card figure; their answers
still count in the review figures.
"""

from __future__ import annotations

from quizdl.stats.compute import DEFAULT_PROFILE, compute
from quizdl.stats.model import Stats
from quizdl.stats.readers import Cancel, Cancelled

__all__ = ["DEFAULT_PROFILE", "Cancel", "Cancelled", "Stats", "compute"]
