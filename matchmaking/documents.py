"""Catalogue-format documents as the matcher's plain records, without a database.

For evaluations and tests that start from files (the demo content, the DPG registry converted by
network.dpg) rather than from the database that `matchmaking.recommendations.load_network` reads.
Documents are merged as the importer merges them: by key, later records' fields replacing earlier ones
(lists included: a record that gives adoptions gives all of them)."""

from matchmaking.graph import Adoption, Exchange, Member, Need, Network, Solution
from ssn4psi.regions import region_for_country, subregion_for_country


def merge(*documents):
    """One document from several: members, solutions and exchanges by key, in first-seen order."""
    merged = {"members": {}, "solutions": {}, "exchanges": {}}
    for document in documents:
        for kind, records in merged.items():
            for record in document.get(kind, []):
                records.setdefault(record["key"], {}).update(record)
    return {kind: list(records.values()) for kind, records in merged.items()}


def split_codes(codes):
    """("16", "16.6", "5.b") -> ((16,), ("16.6", "5.b")): whole goals, and targets."""
    goals = tuple(int(code) for code in codes if "." not in str(code))
    targets = tuple(str(code) for code in codes if "." in str(code))
    return goals, targets


def network_from_catalogue(*documents):
    """The Network described by catalogue documents (merged in order)."""
    document = merge(*documents)
    members, needs = [], []
    for record in document["members"]:
        country = record.get("country", "")
        members.append(
            Member(
                key=record["key"],
                name=record["name"],
                kind=record["kind"],
                country=country,
                region=region_for_country(country) or "",
                subregion=subregion_for_country(country) or "",
                languages=tuple(record.get("languages") or ()),
                parent=record.get("parent"),
            )
        )
        for need in record.get("needs") or []:
            goals, targets = split_codes(need.get("sdg_targets") or ())
            needs.append(
                Need(
                    key=need["key"],
                    member=record["key"],
                    title=need["title"],
                    text=f"{need['title']}. {need.get('description', '')}",
                    targets=targets,
                    goals=goals,
                    themes=tuple(need.get("themes") or ()),
                    priority=need.get("priority", "medium"),
                )
            )
    solutions, adoptions = [], []
    for record in document["solutions"]:
        goals, targets = split_codes(record.get("sdg_targets") or ())
        solutions.append(
            Solution(
                key=record["key"],
                name=record["name"],
                owner=record["owner"],
                text=" ".join(record.get(field) or "" for field in ("name", "summary", "problem", "description")),
                targets=targets,
                goals=goals,
                themes=tuple(record.get("themes") or ()),
                maturity=record.get("maturity", ""),
                languages=tuple(record.get("languages") or ()),
                figures=tuple((f["value"], f["label"]) for f in record.get("key_figures") or ()),
            )
        )
        adoptions.extend(
            Adoption(a["member"], record["key"], a.get("year"), a.get("status", "adopted"))
            for a in record.get("adoptions") or ()
        )
    exchanges = [
        Exchange(
            key=record["key"],
            provider=record["provider"],
            learner=record["learner"],
            facilitator=record.get("facilitator"),
            solutions=tuple(record.get("solutions") or ()),
            status=record.get("status", "proposed"),
        )
        for record in document["exchanges"]
    ]
    return Network(members=members, needs=needs, solutions=solutions, adoptions=adoptions, exchanges=exchanges)


def existing_for_dpg(document):
    """What network.dpg.convert needs to know of a catalogue already loaded (as
    network.services.existing_catalogue() reads it from the database), from a document instead."""
    members = {}
    for record in document.get("members", []):
        members[record["key"]] = record["key"]
        members.setdefault(record["name"].lower(), record["key"])
    solutions = {
        record["key"]: {
            "name": record["name"],
            "owner": record["owner"],
            "licence": record.get("licence") or "",
            "repository": record.get("repository") or "",
            "website": record.get("website") or "",
            "has_tags": bool(record.get("sdg_targets")),
            "adoptions": [
                {"member": a["member"], "year": a.get("year"), "status": a.get("status", "adopted")}
                for a in record.get("adoptions") or ()
            ],
        }
        for record in document.get("solutions", [])
    }
    return members, solutions
