"""The client: connection settings, and the way in to users."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self

import httpx

from .. import _operations as ops
from .. import _validation as check
from .._core import DEFAULT_MAX_RETRIES, TimeoutTypes, make_options, page_fields, public_url
from ._api import AsyncAPI
from .pagination import AsyncUserList
from .user import AsyncUser


class AsyncRecallrAI:
    """A RecallrAI client.

    ``api_key``, ``project_id`` and ``base_url`` default to the ``RECALLRAI_API_KEY``,
    ``RECALLRAI_PROJECT_ID`` and ``RECALLRAI_BASE_URL`` environment variables.
    ``timeout`` is seconds or an ``httpx.Timeout`` (default: 60 s, 5 s to connect).
    Transient failures are retried ``max_retries`` times, never duplicating a write.
    ``http_client`` brings your own httpx client (proxies, mTLS, transports); the SDK
    still sends its own base URL, auth headers and retries through it.
    """

    def __init__(
        self,
        api_key: str | None = None,
        project_id: str | None = None,
        base_url: str | None = None,
        timeout: TimeoutTypes = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise check.ValidationError("http_client must be an httpx.AsyncClient")
        options = make_options(api_key, project_id, base_url, timeout, max_retries)
        self._api = AsyncAPI(options, http_client)

    @classmethod
    def _from_api(cls, api: AsyncAPI) -> Self:
        client = cls.__new__(cls)
        client._api = api
        return client

    def __repr__(self) -> str:
        options = self._api.options
        return (
            f"{type(self).__name__}(base_url={public_url(options.base_url)!r}, "
            f"project_id={options.project_id!r}, max_retries={options.max_retries})"
        )

    @property
    def base_url(self) -> str:
        return self._api.options.base_url

    @property
    def project_id(self) -> str:
        return self._api.options.project_id

    def with_options(self, *, timeout: TimeoutTypes = None, max_retries: int | None = None) -> Self:
        """A client sharing this one's connections, with other timeout or retry settings."""
        options = self._api.options.with_changes(timeout=timeout, max_retries=max_retries)
        return self._from_api(self._api.derive(options))

    async def aclose(self) -> None:
        """Close the connection pool (unless it is your own ``http_client``).

        Afterwards every call, also through users, sessions and pages this client
        made, raises ``ClientClosedError``.
        """
        await self._api.aclose()

    # async only: openai's async client answers ``await client.close()`` too.
    async def close(self) -> None:
        """The same as ``aclose()``."""
        await self.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def create_user(
        self,
        user_id: str,
        metadata: Mapping[str, Any] | None = None,
        merge_conflict_enabled: bool | None = None,
    ) -> AsyncUser:
        """Create a user with your own id for them."""
        reply = await self._api.send(ops.create_user(user_id, metadata, merge_conflict_enabled))
        if reply.recovered:  # an earlier attempt went through; the repeat found it existing
            return await self.get_user(user_id)
        return AsyncUser(self._api, reply.data)

    async def get_user(self, user_id: str, validate: bool = True) -> AsyncUser:
        """A user by id; ``validate=False`` skips the lookup request for a trusted id."""
        if not validate:
            return AsyncUser(self._api, user_id=check.identifier("user_id", user_id))
        reply = await self._api.send(ops.get_user(user_id))
        return AsyncUser(self._api, reply.data)

    async def list_users(
        self, offset: int = 0, limit: int = 10, metadata_filter: Mapping[str, Any] | None = None
    ) -> AsyncUserList:
        """A page of users; iterate it to walk all of them."""
        reply = await self._api.send(ops.list_users(offset, limit, metadata_filter))
        items, total, has_more = page_fields(reply.data, "users")
        return AsyncUserList(
            [AsyncUser(self._api, u) for u in items],
            total=total,
            has_more=has_more,
            offset=offset,
            fetch=lambda next_offset: self.list_users(next_offset, limit, metadata_filter),
        )
