import { createProject, createUser, expect, expectAccessible, expectNoHorizontalOverflow, signIn, test, testDb, TEST_PASSWORD } from "./support/fixtures";

// Signing is a ceremony: right after signing in an approver signs on that proof; once it is older
// than the signing window (aged here in the database, not waited for), signing asks for the
// password again, keeps what they chose, and signs with it.

/** Makes every open session of the user older, as proofs go, than the signing window (five minutes). */
async function ageProofs(userId: string) {
  await testDb().userSession.updateMany({ where: { userId, revokedAt: null }, data: { lastProofAt: new Date(Date.now() - 10 * 60_000) } });
}

test("an approver signs on a fresh sign-in, and again with the password once the proof is old", async ({ page }) => {
  const approver = await createUser("Morgan Signing Approver");
  await testDb().user.update({ where: { id: approver.id }, data: { title: "Head of Data" } });
  const project = await createProject([[approver.id, ["APPROVER"]]]);
  await signIn(page, approver.email, TEST_PASSWORD);

  // Fresh: no password asked, and the sign-off says what it meant and how it was proved.
  await page.goto(`/projects/${project.slug}/signoffs`);
  const form = page.getByRole("form", { name: "Sign DBA" });
  await expect(form.getByTestId("signature-meaning")).toContainText(`I, Morgan Signing Approver, Head of Data, approve the DBA sign-off of ${project.name} as approver`);
  await expect(form.getByLabel("Your password, to sign")).toHaveCount(0);
  await form.getByRole("button", { name: "Approve DBA" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Signed: round 1" })).toBeVisible();
  const slot = page.getByTestId("slot-DBA");
  await expect(slot.getByTestId("signoff-meaning")).toContainText("approve the DBA sign-off");
  await expect(slot.getByTestId("signoff-proof")).toContainText("password given in this session");

  // The proof grows old while the page is open: the server refuses and brings up the password
  // field, keeping the decision and the reason typed.
  await page.reload();
  const again = page.getByRole("form", { name: "Sign DBA" });
  await again.getByRole("radio", { name: "Reject" }).check();
  await again.getByLabel("Reason for rejecting").fill("The restore drill is missing.");
  await ageProofs(approver.id);
  await again.getByRole("button", { name: "Reject DBA" }).click();
  const password = again.getByLabel("Your password, to sign");
  await expect(password).toBeVisible();
  await expect(password).toBeFocused();
  await expect(again.getByText(/Enter your password to sign/)).toBeVisible();
  await expect(again.getByRole("radio", { name: "Reject" })).toBeChecked();
  await expect(again.getByLabel("Reason for rejecting")).toHaveValue("The restore drill is missing.");
  await expect(slot.getByTestId("slot-state")).toHaveText("Approved");

  // A wrong password is refused on the field; the right one signs.
  await password.fill("not the password");
  await password.press("Enter");
  await expect(again.getByText("This is not your password.")).toBeVisible();
  await again.getByLabel("Your password, to sign").fill(TEST_PASSWORD);
  await again.getByRole("button", { name: "Reject DBA" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Signed: round 2" })).toBeVisible();
  await expect(slot.getByTestId("slot-state")).toHaveText("Rejected");
  await expect(slot.getByTestId("signoff-proof")).toContainText("password re-entered to sign");
  await expect(slot.getByTestId("signoff-meaning")).toContainText("reject the DBA sign-off");
  await expectAccessible(page);

  // Once more, on a phone: the page itself says the password is needed before any submit.
  await ageProofs(approver.id);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/projects/${project.slug}/signoffs`);
  const phone = page.getByRole("form", { name: "Sign DBA" });
  await expect(phone.getByLabel("Your password, to sign")).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await phone.getByLabel("Your password, to sign").fill(TEST_PASSWORD);
  await phone.getByRole("button", { name: "Approve DBA" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Signed: round 3" })).toBeVisible();
});
