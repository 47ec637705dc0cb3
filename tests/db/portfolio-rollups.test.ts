import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { getPortfolio } from "@/lib/portfolio/data";
import { countQueries } from "../support/query-count";
import { makeActor, makeItem, makeProject } from "./factories";

// The portfolio's roll-ups: each row names its team and the level it has reached against its
// target, and each team gets its own readiness series, in a fixed number of queries.

describe("portfolio roll-ups", () => {
  it("names each project's team and level reached, and sums readiness per team", async () => {
    const { actor: admin } = await makeActor(["ADMIN"]);
    const team = await db.team.create({ data: { slug: `rollup-${randomUUID().slice(0, 8)}`, name: "Rollup" }, select: { id: true, slug: true } });
    const leveled = await makeProject([]);
    await db.project.update({ where: { id: leveled.id }, data: { teamId: team.id, levels: ["Experiment", "Beta", "GA"], targetLevel: 2 } });
    await makeItem(leveled, { status: "DONE" });
    const beta = await makeItem(leveled, { status: "TODO" });
    await db.checklistItem.update({ where: { id: beta.id }, data: { level: 1 } });
    const plain = await makeProject([]);
    await makeItem(plain, { status: "TODO" });

    const portfolio = await getPortfolio(admin);
    const row = portfolio.rows.find((entry) => entry.id === leveled.id);
    expect(row).toMatchObject({ team: { slug: team.slug, name: "Rollup" }, level: { reached: "Experiment", target: "GA" } });
    expect(portfolio.rows.find((entry) => entry.id === plain.id)).toMatchObject({ team: null, level: null });
    expect(portfolio.byTeam.get(team.slug)?.at(-1)).toBe(50);

    await db.checklistItem.update({ where: { id: beta.id }, data: { status: "DONE" } });
    expect((await getPortfolio(admin)).rows.find((entry) => entry.id === leveled.id)?.level).toEqual({ reached: "GA", target: "GA" });
  });

  it("costs the same number of queries with one team project or five", async () => {
    const { actor: admin } = await makeActor(["ADMIN"]);
    const team = await db.team.create({ data: { slug: `rollup-${randomUUID().slice(0, 8)}`, name: "Many" }, select: { id: true } });
    const first = await makeProject([]);
    await db.project.update({ where: { id: first.id }, data: { teamId: team.id, levels: ["Bronze", "Gold"] } });
    const one = (await countQueries(() => getPortfolio(admin))).queries;
    for (let index = 0; index < 4; index += 1) {
      const project = await makeProject([]);
      await db.project.update({ where: { id: project.id }, data: { teamId: team.id, levels: ["Bronze", "Gold"] } });
      await makeItem(project, { status: "TODO" });
    }
    expect((await countQueries(() => getPortfolio(admin))).queries).toBe(one);
  });
});
