"use client";

import { useEffect, useRef, useState } from "react";

/** Sent by an item's form when a save went through, so a list can say so (see SavedAnnouncer). */
export const ITEM_SAVED_EVENT = "shipshape:item-saved";
export type ItemSavedDetail = { message: string };

export function announceItemSaved(message: string): void {
  window.dispatchEvent(new CustomEvent<ItemSavedDetail>(ITEM_SAVED_EVENT, { detail: { message } }));
}

/**
 * Says what the last save in a list did, for lists an item can leave when it is saved (My work
 * shows open items only). When the saved row is gone after the refresh, keyboard focus would fall
 * to the page's start; it comes here instead, next to where the person was working.
 */
export function SavedAnnouncer() {
  const [message, setMessage] = useState("");
  const region = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    const onSaved = (event: Event) => {
      setMessage((event as CustomEvent<ItemSavedDetail>).detail.message);
      // After the list has re-rendered: if the focused control left with its row, take focus here.
      const check = (attempts: number) => {
        const active = document.activeElement;
        if (!active || active === document.body || !active.isConnected) region.current?.focus();
        else if (attempts > 0) setTimeout(() => check(attempts - 1), 250);
      };
      check(20);
    };
    window.addEventListener(ITEM_SAVED_EVENT, onSaved);
    return () => window.removeEventListener(ITEM_SAVED_EVENT, onSaved);
  }, []);
  return (
    <p ref={region} tabIndex={-1} role="status" data-testid="saved-announcer" className={message ? "rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-950" : "sr-only"}>
      {message}
    </p>
  );
}
