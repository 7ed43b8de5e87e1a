"""Influence CRM's author graph: build it, measure it, and score authors for four roles.

Pure Python over networkx, numpy and scipy, with python-igraph as an accelerator; it knows
nothing of Flask, SQLAlchemy or the web. The scoring service feeds it plain tuples
(:class:`Post`, :class:`Interaction`, :class:`AuthorInfo`) and reads plain data back.

Examples
--------
>>> from graph import Interaction, build_graph, score_authors
>>> G = build_graph([Interaction("bob", "alice", "reply", 0.0, "p1")])
>>> list(G.edges(data="kind"))
[('bob', 'alice', 'reply')]
"""

from graph.bots import BotParams, detect_bots
from graph.build import build_frame, build_graph, edge_list, weighted_digraph
from graph.communities import Community, detect_communities
from graph.export import author_graph, write_gexf, write_graphml
from graph.metrics import core_number, pagerank, partner_counts, reciprocity
from graph.roles import (
    FEATURES,
    MEDIA_DOMAINS,
    AuthorScore,
    ScoringParams,
    ScoringResult,
    TopicRank,
    score_authors,
)
from graph.types import INTERACTION_KINDS, POST_KINDS, ROLES, AuthorInfo, Interaction, Post

__all__ = [
    "Post",
    "Interaction",
    "AuthorInfo",
    "POST_KINDS",
    "INTERACTION_KINDS",
    "ROLES",
    "build_graph",
    "build_frame",
    "edge_list",
    "weighted_digraph",
    "pagerank",
    "core_number",
    "partner_counts",
    "reciprocity",
    "detect_communities",
    "Community",
    "detect_bots",
    "author_graph",
    "write_gexf",
    "write_graphml",
    "BotParams",
    "score_authors",
    "ScoringParams",
    "ScoringResult",
    "AuthorScore",
    "TopicRank",
    "FEATURES",
    "MEDIA_DOMAINS",
]
