
-- Dumped from database version 18.4
-- Dumped by pg_dump version 18.4

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET transaction_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: build_pack_refuse_final_change(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.build_pack_refuse_final_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
    if old.status = 'final' then
        raise exception 'build pack % is final', old.id
        using errcode = 'check_violation', constraint = 'build_pack_final_immutable';
    end if;
    return new;
end;
$$;


--
-- Name: workshop_check_capacity_change(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.workshop_check_capacity_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
    if new.capacity is not null and new.capacity is distinct from old.capacity
        and new.capacity < (
            select count(*) from workshop_member
            where workshop_id = new.id and role = 'participant'
        ) then
        raise exception 'capacity % is below the participant count of workshop %', new.capacity, new.id
        using errcode = 'check_violation', constraint = 'workshop_capacity_below_participants';
    end if;
    return new;
end;
$$;


--
-- Name: workshop_member_check_capacity(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.workshop_member_check_capacity() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
declare
    room integer;
    taken integer;
begin
    if new.role <> 'participant' then
        return new;
    end if;
    if tg_op = 'UPDATE' and old.role = 'participant' and old.workshop_id = new.workshop_id then
        return new;
    end if;
    select capacity into room from workshop where id = new.workshop_id for no key update;
    if room is null then
        return new;
    end if;
    select count(*) into taken
    from workshop_member
    where workshop_id = new.workshop_id and role = 'participant' and id <> new.id;
    if taken >= room then
        raise exception 'workshop % is full (capacity %)', new.workshop_id, room
        using errcode = 'check_violation', constraint = 'workshop_member_capacity';
    end if;
    return new;
end;
$$;


--
-- Name: workshop_step_check_contiguous(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.workshop_step_check_contiguous() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
declare
    target text := coalesce(new.workshop_id, old.workshop_id);
begin
    if exists (
        select 1 from workshop_step
        where workshop_id = target
        having count(*) <> max(position)
    ) then
        raise exception 'step positions of workshop % are not 1..n', target
        using errcode = 'check_violation', constraint = 'workshop_step_contiguous';
    end if;
    return null;
end;
$$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: api_key; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.api_key (
    id text NOT NULL,
    name text NOT NULL,
    scope text NOT NULL,
    secret_sha256 bytea NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_used_at timestamp with time zone,
    revoked_at timestamp with time zone,
    CONSTRAINT api_key_id_format CHECK ((id ~ '^key_[a-z0-9]{24}$'::text)),
    CONSTRAINT api_key_name_length CHECK (((length(name) >= 1) AND (length(name) <= 100))),
    CONSTRAINT api_key_scope_valid CHECK ((scope = ANY (ARRAY['read'::text, 'write'::text]))),
    CONSTRAINT api_key_secret_sha256_length CHECK ((length(secret_sha256) = 32))
);


--
-- Name: TABLE api_key; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.api_key IS 'Keys for the REST API; only the sha256 of each secret is stored.';


--
-- Name: COLUMN api_key.last_used_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.api_key.last_used_at IS 'Refreshed at most once a minute, so reads do not write on every request.';


--
-- Name: build_pack; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.build_pack (
    id text NOT NULL,
    session_id text NOT NULL,
    workshop_id text NOT NULL,
    title text NOT NULL,
    content jsonb DEFAULT '{}'::jsonb NOT NULL,
    status text DEFAULT 'draft'::text NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT build_pack_content_object CHECK ((jsonb_typeof(content) = 'object'::text)),
    CONSTRAINT build_pack_content_size CHECK ((octet_length((content)::text) <= 262144)),
    CONSTRAINT build_pack_id_format CHECK ((id ~ '^bp_[a-z0-9]{24}$'::text)),
    CONSTRAINT build_pack_status_valid CHECK ((status = ANY (ARRAY['draft'::text, 'final'::text]))),
    CONSTRAINT build_pack_title_length CHECK (((length(title) >= 1) AND (length(title) <= 200))),
    CONSTRAINT build_pack_version_positive CHECK ((version >= 1))
);


--
-- Name: TABLE build_pack; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.build_pack IS 'The JSON bundle a participant takes away from a session; immutable once final (trigger build_pack_final_immutable).';


--
-- Name: COLUMN build_pack.content; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.build_pack.content IS 'A JSON object of at most 256 KiB as text.';


--
-- Name: COLUMN build_pack.version; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.build_pack.version IS 'Starts at 1 and grows by one on every change; the ETag of the pack.';


--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    version character varying NOT NULL
);


--
-- Name: session; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.session (
    id text NOT NULL,
    workshop_id text NOT NULL,
    member_id text NOT NULL,
    status text DEFAULT 'active'::text NOT NULL,
    current_step_id text,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    ended_at timestamp with time zone,
    CONSTRAINT session_ended_at_matches_status CHECK (((status = 'active'::text) = (ended_at IS NULL))),
    CONSTRAINT session_id_format CHECK ((id ~ '^ses_[a-z0-9]{24}$'::text)),
    CONSTRAINT session_status_valid CHECK ((status = ANY (ARRAY['active'::text, 'completed'::text, 'abandoned'::text])))
);


--
-- Name: TABLE session; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.session IS 'A participant''s run through the steps of a workshop.';


--
-- Name: COLUMN session.member_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.session.member_id IS 'A member of the same workshop (composite foreign key session_member_fkey).';


--
-- Name: COLUMN session.current_step_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.session.current_step_id IS 'A step of the same workshop (session_current_step_fkey); null when the workshop has no steps.';


--
-- Name: workshop; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workshop (
    id text NOT NULL,
    slug text NOT NULL,
    title text NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    status text DEFAULT 'draft'::text NOT NULL,
    capacity integer,
    starts_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT workshop_capacity_positive CHECK ((capacity >= 1)),
    CONSTRAINT workshop_description_length CHECK ((length(description) <= 10000)),
    CONSTRAINT workshop_id_format CHECK ((id ~ '^ws_[a-z0-9]{24}$'::text)),
    CONSTRAINT workshop_slug_format CHECK (((slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'::text) AND (length(slug) <= 64))),
    CONSTRAINT workshop_status_valid CHECK ((status = ANY (ARRAY['draft'::text, 'published'::text, 'archived'::text]))),
    CONSTRAINT workshop_title_length CHECK (((length(title) >= 1) AND (length(title) <= 200)))
);


--
-- Name: TABLE workshop; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.workshop IS 'A hands-on workshop: the root of every other row.';


--
-- Name: COLUMN workshop.slug; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.workshop.slug IS 'URL name, unique, lowercase words joined by single hyphens, at most 64 characters.';


--
-- Name: COLUMN workshop.capacity; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.workshop.capacity IS 'Most participants allowed (owners and facilitators do not count); null means unlimited. Held by trigger workshop_member_capacity.';


--
-- Name: workshop_member; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workshop_member (
    id text NOT NULL,
    workshop_id text NOT NULL,
    email text NOT NULL,
    display_name text NOT NULL,
    role text DEFAULT 'participant'::text NOT NULL,
    joined_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT workshop_member_display_name_length CHECK (((length(display_name) >= 1) AND (length(display_name) <= 100))),
    CONSTRAINT workshop_member_email_format CHECK (((email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'::text) AND (length(email) <= 254))),
    CONSTRAINT workshop_member_id_format CHECK ((id ~ '^wm_[a-z0-9]{24}$'::text)),
    CONSTRAINT workshop_member_role_valid CHECK ((role = ANY (ARRAY['owner'::text, 'facilitator'::text, 'participant'::text])))
);


--
-- Name: TABLE workshop_member; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.workshop_member IS 'A person in a workshop: owner, facilitator or participant.';


--
-- Name: COLUMN workshop_member.email; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.workshop_member.email IS 'Unique per workshop regardless of case (index workshop_member_email_key).';


--
-- Name: COLUMN workshop_member.role; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.workshop_member.role IS 'Only participants count against workshop.capacity.';


--
-- Name: workshop_step; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workshop_step (
    id text NOT NULL,
    workshop_id text NOT NULL,
    "position" integer NOT NULL,
    title text NOT NULL,
    body text DEFAULT ''::text NOT NULL,
    duration_minutes integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT workshop_step_body_length CHECK ((length(body) <= 100000)),
    CONSTRAINT workshop_step_duration_minutes_range CHECK (((duration_minutes >= 0) AND (duration_minutes <= 1440))),
    CONSTRAINT workshop_step_id_format CHECK ((id ~ '^wst_[a-z0-9]{24}$'::text)),
    CONSTRAINT workshop_step_position_at_most_500 CHECK (("position" <= 500)),
    CONSTRAINT workshop_step_position_positive CHECK (("position" >= 1)),
    CONSTRAINT workshop_step_title_length CHECK (((length(title) >= 1) AND (length(title) <= 200)))
);


--
-- Name: TABLE workshop_step; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.workshop_step IS 'One step of a workshop; positions are exactly 1..n per workshop.';


--
-- Name: COLUMN workshop_step."position"; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.workshop_step."position" IS 'Unique per workshop (deferrable) and contiguous from 1 (constraint trigger workshop_step_contiguous, checked at commit).';


--
-- Name: COLUMN workshop_step.body; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.workshop_step.body IS 'Markdown, at most 100,000 characters.';


--
-- Name: api_key api_key_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_key
    ADD CONSTRAINT api_key_pkey PRIMARY KEY (id);


--
-- Name: api_key api_key_secret_sha256_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_key
    ADD CONSTRAINT api_key_secret_sha256_key UNIQUE (secret_sha256);


--
-- Name: build_pack build_pack_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.build_pack
    ADD CONSTRAINT build_pack_pkey PRIMARY KEY (id);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);


--
-- Name: session session_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.session
    ADD CONSTRAINT session_pkey PRIMARY KEY (id);


--
-- Name: session session_workshop_id_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.session
    ADD CONSTRAINT session_workshop_id_id_key UNIQUE (workshop_id, id);


--
-- Name: workshop_member workshop_member_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workshop_member
    ADD CONSTRAINT workshop_member_pkey PRIMARY KEY (id);


--
-- Name: workshop_member workshop_member_workshop_id_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workshop_member
    ADD CONSTRAINT workshop_member_workshop_id_id_key UNIQUE (workshop_id, id);


--
-- Name: workshop workshop_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workshop
    ADD CONSTRAINT workshop_pkey PRIMARY KEY (id);


--
-- Name: workshop workshop_slug_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workshop
    ADD CONSTRAINT workshop_slug_key UNIQUE (slug);


--
-- Name: workshop_step workshop_step_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workshop_step
    ADD CONSTRAINT workshop_step_pkey PRIMARY KEY (id);


--
-- Name: workshop_step workshop_step_position_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workshop_step
    ADD CONSTRAINT workshop_step_position_key UNIQUE (workshop_id, "position") DEFERRABLE;


--
-- Name: workshop_step workshop_step_workshop_id_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workshop_step
    ADD CONSTRAINT workshop_step_workshop_id_id_key UNIQUE (workshop_id, id);


--
-- Name: build_pack_created_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX build_pack_created_at_idx ON public.build_pack USING btree (workshop_id, created_at, id);


--
-- Name: build_pack_session_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX build_pack_session_id_idx ON public.build_pack USING btree (workshop_id, session_id);


--
-- Name: session_current_step_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX session_current_step_id_idx ON public.session USING btree (workshop_id, current_step_id);


--
-- Name: session_member_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX session_member_id_idx ON public.session USING btree (member_id);


--
-- Name: session_one_active_per_member; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX session_one_active_per_member ON public.session USING btree (member_id) WHERE (status = 'active'::text);


--
-- Name: INDEX session_one_active_per_member; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON INDEX public.session_one_active_per_member IS 'At most one active session per member.';


--
-- Name: session_started_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX session_started_at_idx ON public.session USING btree (workshop_id, started_at, id);


--
-- Name: workshop_created_at_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX workshop_created_at_id_idx ON public.workshop USING btree (created_at, id);


--
-- Name: workshop_member_email_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX workshop_member_email_key ON public.workshop_member USING btree (workshop_id, lower(email));


--
-- Name: workshop_member_joined_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX workshop_member_joined_at_idx ON public.workshop_member USING btree (workshop_id, joined_at, id);


--
-- Name: workshop_status_created_at_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX workshop_status_created_at_id_idx ON public.workshop USING btree (status, created_at, id);


--
-- Name: build_pack build_pack_final_immutable; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER build_pack_final_immutable BEFORE UPDATE ON public.build_pack FOR EACH ROW EXECUTE FUNCTION public.build_pack_refuse_final_change();


--
-- Name: workshop workshop_capacity_change; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER workshop_capacity_change BEFORE UPDATE OF capacity ON public.workshop FOR EACH ROW EXECUTE FUNCTION public.workshop_check_capacity_change();


--
-- Name: workshop_member workshop_member_capacity; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER workshop_member_capacity BEFORE INSERT OR UPDATE OF role, workshop_id ON public.workshop_member FOR EACH ROW EXECUTE FUNCTION public.workshop_member_check_capacity();


--
-- Name: workshop_step workshop_step_contiguous; Type: TRIGGER; Schema: public; Owner: -
--

CREATE CONSTRAINT TRIGGER workshop_step_contiguous AFTER INSERT OR DELETE OR UPDATE OF "position" ON public.workshop_step DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.workshop_step_check_contiguous();


--
-- Name: build_pack build_pack_session_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.build_pack
    ADD CONSTRAINT build_pack_session_fkey FOREIGN KEY (workshop_id, session_id) REFERENCES public.session(workshop_id, id) ON DELETE CASCADE;


--
-- Name: session session_current_step_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.session
    ADD CONSTRAINT session_current_step_fkey FOREIGN KEY (workshop_id, current_step_id) REFERENCES public.workshop_step(workshop_id, id) ON DELETE SET NULL (current_step_id);


--
-- Name: session session_member_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.session
    ADD CONSTRAINT session_member_fkey FOREIGN KEY (workshop_id, member_id) REFERENCES public.workshop_member(workshop_id, id) ON DELETE CASCADE;


--
-- Name: workshop_member workshop_member_workshop_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workshop_member
    ADD CONSTRAINT workshop_member_workshop_id_fkey FOREIGN KEY (workshop_id) REFERENCES public.workshop(id) ON DELETE CASCADE;


--
-- Name: workshop_step workshop_step_workshop_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workshop_step
    ADD CONSTRAINT workshop_step_workshop_id_fkey FOREIGN KEY (workshop_id) REFERENCES public.workshop(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--



--
-- Dbmate schema migrations
--

INSERT INTO public.schema_migrations (version) VALUES
    ('20261101000000'),
    ('20261125121717'),
    ('20261125124700'),
    ('20261125124701');
