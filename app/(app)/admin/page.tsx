import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth";
import { can } from "@/lib/policy";
import { listProjectsForActor } from "@/lib/projects/data";
import { listUsers } from "@/lib/users/data";
import { CreateUserForm, UserRolesForm, UserStatusForm } from "@/components/admin/user-forms";
import { AddMemberForm } from "@/components/projects/member-forms";
import { addMemberAction, createUserAction, endUserSessionsAction, resetSecondFactorAction, setUserDisabledAction, setUserGlobalRolesAction } from "../actions";
import { EndSessionForm } from "@/components/end-session-form";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  const actor = await requireActor();
  if (!can(actor, "user.manage", { kind: "global" })) notFound();
  const [users, projects] = await Promise.all([listUsers({ actor, requestId: null }), listProjectsForActor(actor)]);
  const userOptions = users.filter((user) => !user.disabled).map((user) => ({ value: user.id, label: `${user.name} <${user.email}>` }));
  const projectOptions = projects.map((project) => ({ value: project.id, label: project.name }));

  return (
    <div className="flex flex-col gap-8">
      <div>
        <h1 className="text-2xl font-semibold">Admin</h1>
        <p className="text-sm">
          <Link href="/admin/teams" className="text-indigo-800 underline">
            Teams
          </Link>
          : who holds roles on the projects each team owns.
        </p>
      </div>

      <section aria-labelledby="users-heading" className="flex flex-col gap-3">
        <h2 id="users-heading" className="text-lg font-semibold">
          Users
        </h2>
        <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs tracking-wide text-slate-600 uppercase">
              <tr>
                <th scope="col" className="px-3 py-2">Name</th>
                <th scope="col" className="px-3 py-2">Email</th>
                <th scope="col" className="px-3 py-2">Global roles</th>
                <th scope="col" className="px-3 py-2">Projects</th>
                <th scope="col" className="px-3 py-2">Status</th>
                <th scope="col" className="px-3 py-2"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {users.map((user) => (
                <tr key={user.id} data-testid="user-row">
                  <td className="px-3 py-2">
                    {user.name}
                    {user.title && <span className="block text-xs text-slate-600">{user.title}</span>}
                  </td>
                  <td className="px-3 py-2">{user.email}</td>
                  <td className="px-3 py-2">
                    <UserRolesForm action={setUserGlobalRolesAction} userId={user.id} name={user.name} globalRoles={user.globalRoles} />
                  </td>
                  <td className="px-3 py-2">{user.projectCount}</td>
                  <td className="px-3 py-2">
                    {user.disabled ? <span className="text-red-700">Disabled</span> : "Active"}
                    {user.twoStep && <span className="block text-xs text-slate-600">Two-step sign-in</span>}
                  </td>
                  <td className="px-3 py-2 text-right">
                    {user.id !== actor.id && (
                      <div className="flex flex-col items-end gap-2">
                        <UserStatusForm action={setUserDisabledAction} userId={user.id} name={user.name} disabled={user.disabled} />
                        {!user.disabled && <EndSessionForm action={endUserSessionsAction} fields={{ userId: user.id }} label="End sessions" srLabel={`of ${user.name}`} />}
                        {user.twoStep && <EndSessionForm action={resetSecondFactorAction} fields={{ userId: user.id }} label="Reset authenticator" srLabel={`of ${user.name}`} pendingLabel="Resetting…" />}
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="add-user-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="add-user-heading" className="mb-3 text-lg font-semibold">
          Add a user
        </h2>
        <CreateUserForm action={createUserAction} />
      </section>

      <section aria-labelledby="add-member-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="add-member-heading" className="mb-3 text-lg font-semibold">
          Add a member to a project
        </h2>
        <AddMemberForm action={addMemberAction} projectOptions={projectOptions} userOptions={userOptions} />
      </section>
    </div>
  );
}
